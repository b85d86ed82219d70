"""The evaluation router, shared by its endpoint modules."""

from ninja import Router

router = Router(tags=["Évaluation"])
