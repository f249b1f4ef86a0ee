from enum import StrEnum


class CloudEventCdrCreatedEventType(StrEnum):
    CDR_CREATED = "cdr.created"

    def __str__(self) -> str:
        return str(self.value)
