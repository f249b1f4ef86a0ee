from enum import StrEnum


class CloudEventRegistrationExpiredEventType(StrEnum):
    REGISTRATION_EXPIRED = "registration.expired"

    def __str__(self) -> str:
        return str(self.value)
