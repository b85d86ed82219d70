from django.http import HttpRequest, HttpResponse


def organisation_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
