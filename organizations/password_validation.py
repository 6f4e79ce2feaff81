"""Django's password validators with the portal's own Vietnamese messages.

Django's Vietnamese catalogue lacks some of them (the minimum length error shows in English), so the wording
is ours and does not change with a Django upgrade. Listed in settings.AUTH_PASSWORD_VALIDATORS."""

from django.contrib.auth import password_validation


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return "Mật khẩu quá giống với %(verbose_name)s của tài khoản."

    def get_help_text(self):
        return "Mật khẩu không được quá giống tên đăng nhập, họ tên hoặc thư điện tử của bạn."


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."

    def get_help_text(self):
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return "Mật khẩu này quá phổ biến, dễ bị đoán ra."

    def get_help_text(self):
        return "Mật khẩu không được là mật khẩu thông dụng."


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return "Mật khẩu không được chỉ gồm chữ số."

    def get_help_text(self):
        return "Mật khẩu không được chỉ gồm chữ số."
