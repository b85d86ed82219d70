from django.http import HttpRequest, HttpResponse


def territory_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def commune_search(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
