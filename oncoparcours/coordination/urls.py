from django.urls import path

from oncoparcours.coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("nouvelle/", views.task_create, name="create"),
    path("<uuid:public_id>/faite/", views.task_complete, name="complete"),
    path("<uuid:public_id>/rouvrir/", views.task_reopen, name="reopen"),
    path("<uuid:public_id>/annuler/", views.task_cancel, name="cancel"),
]
