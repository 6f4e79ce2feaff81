"""Statistics, exports and histories of “Dân vận khéo” (merged into models_danvan.urls)."""

urlpatterns: list = []
