from enum import StrEnum


class HangupReason(StrEnum):
    ACK_TIMEOUT = "ack_timeout"
    API = "api"
    CANCELLED = "cancelled"
    CONNECTION_LOST = "connection_lost"
    HUNG_UP = "hung_up"
    MEDIA_LOST = "media_lost"
    NODE_LOST = "node_lost"
    NOT_ANSWERED = "not_answered"
    SESSION_EXPIRED = "session_expired"
    SHUTDOWN = "shutdown"
    TRANSFERRED = "transferred"

    def __str__(self) -> str:
        return str(self.value)
