from enum import StrEnum


class CloudEventRegistrationUnreachableEventType(StrEnum):
    REGISTRATION_UNREACHABLE = "registration.unreachable"

    def __str__(self) -> str:
        return str(self.value)
