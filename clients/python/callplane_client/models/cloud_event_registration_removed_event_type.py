from enum import StrEnum


class CloudEventRegistrationRemovedEventType(StrEnum):
    REGISTRATION_REMOVED = "registration.removed"

    def __str__(self) -> str:
        return str(self.value)
