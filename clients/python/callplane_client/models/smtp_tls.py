from enum import StrEnum


class SmtpTls(StrEnum):
    IMPLICIT = "implicit"
    NONE = "none"
    STARTTLS = "starttls"

    def __str__(self) -> str:
        return str(self.value)
