import pytest

pytestmark = pytest.mark.django_db


def test_openapi_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "OncoParcours API"
    assert "/api/v1/accounts/me" in schema["paths"]


def test_operation_ids_are_the_endpoint_names_whatever_their_module(client):
    # Stable for partners' generated clients: moving an endpoint to another module keeps its id.
    schema = client.get("/api/v1/openapi.json").json()
    ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert {"prescription_create", "pathway_reassign", "directory_search", "offer_import"} <= set(
        ids
    )
    assert not [i for i in ids if i.startswith("oncoparcours_")]


def test_anonymous_call_gets_the_error_shape_in_french(client):
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {
                "code": "auth.required",
                "message": "Authentification requise (session ou jeton d'API).",
                "field": None,
            }
        ]
    }


def test_unknown_bearer_token_is_refused(client):
    response = client.get("/api/v1/accounts/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_interactive_api_docs_are_served_from_local_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_refusals_are_logged_with_codes_and_no_identity(client_as, personas, caplog):
    caplog.set_level("INFO", logger="oncoparcours.refusals")
    response = client_as(personas.admin).post(
        "/api/v1/organisations",
        data={
            "name": "Structure X",
            "kind": "structure_porteuse",
            "structure_type": "msp",
            "siret": "12345678901234",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "identifier.siret.checksum"
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "identifier.siret.checksum" in logged
    assert "Structure X" not in logged
    assert personas.admin.user.email not in logged
