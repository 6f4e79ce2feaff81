from django.urls import path  # noqa: F401

app_name = "democracy_regs"

urlpatterns: list = []
