from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from organizations import auth_views as org_auth_views
from organizations import views as org_views

admin.site.site_header = "Quản trị Cổng thông tin Đảng ủy Khối"
admin.site.site_title = "Quản trị"
admin.site.index_title = "Danh mục dữ liệu"

urlpatterns = [
    path("", org_views.HomeView.as_view(), name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", org_auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quen-mat-khau/", org_auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        org_auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("tong-quan/", include("dukportal.dashboard.urls")),
    path("to-chuc/", include("organizations.urls")),
    path("dan-van-kheo/", include("models_danvan.urls")),
    path("dan-chu-co-so/", include("democracy_regs.urls")),
    path("bao-cao-dinh-ky/", include("indicators.urls")),
    path("van-ban/", include("reports.urls")),
    path("ho-so/", include("dukportal.submissions.urls")),
    path("", include("dukportal.notifications.urls")),
    path("quan-tri/", admin.site.urls),
]
