from enum import StrEnum


class CloudEventRegistrationCreatedEventType(StrEnum):
    REGISTRATION_CREATED = "registration.created"

    def __str__(self) -> str:
        return str(self.value)
