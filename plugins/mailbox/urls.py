"""Public pages of `mailbox` at /mailbox/ (namespace `mailbox_site`): the letter form, the status lookup and the
published letters."""

from django.urls import path

from . import views

urlpatterns = [
    path("write/", views.write, name="write"),
    path("status/", views.status, name="status"),
    path("letters/", views.letters, name="letters"),
    path("letters/<str:number>/", views.letter, name="letter"),
]
