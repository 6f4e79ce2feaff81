"""An e-mail backend for tests and the bench: locmem (messages land in django.core.mail.outbox) that counts the
connections it opens the way the SMTP backend does: send_messages() on a closed backend opens and closes one
connection; on a backend opened first (get_connection() + open()) every message shares it."""

from django.core.mail.backends.locmem import EmailBackend


class CountingBackend(EmailBackend):
    connections = 0  # opened since the last reset(), in this process

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connected = False

    @classmethod
    def reset(cls):
        cls.connections = 0

    def open(self):
        if self.connected:
            return False
        type(self).connections += 1
        self.connected = True
        return True

    def close(self):
        self.connected = False

    def send_messages(self, messages):
        if not messages:
            return 0
        new_connection = self.open()
        try:
            return super().send_messages(messages)
        finally:
            if new_connection:
                self.close()
