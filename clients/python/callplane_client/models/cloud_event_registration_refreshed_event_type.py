from enum import StrEnum


class CloudEventRegistrationRefreshedEventType(StrEnum):
    REGISTRATION_REFRESHED = "registration.refreshed"

    def __str__(self) -> str:
        return str(self.value)
