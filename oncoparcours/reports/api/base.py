from ninja import Router

router = Router(tags=["Comptes rendus"])
