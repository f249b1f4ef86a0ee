from enum import StrEnum


class CloudEventWebhookFailingEventType(StrEnum):
    WEBHOOK_FAILING = "webhook.failing"

    def __str__(self) -> str:
        return str(self.value)
