from enum import StrEnum


class InboundMatchInboundByRegistrationKind(StrEnum):
    REGISTRATION = "registration"

    def __str__(self) -> str:
        return str(self.value)
