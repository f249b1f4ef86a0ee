from enum import StrEnum


class SignatureField(StrEnum):
    DISPLAY_NAME = "display_name"
    FROM_URI = "from_uri"
    USER_AGENT = "user_agent"

    def __str__(self) -> str:
        return str(self.value)
