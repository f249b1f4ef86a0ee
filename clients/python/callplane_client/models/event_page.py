from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cloud_event_call_answered_event import CloudEventCallAnsweredEvent
    from ..models.cloud_event_call_created_event import CloudEventCallCreatedEvent
    from ..models.cloud_event_call_dtmf_event import CloudEventCallDtmfEvent
    from ..models.cloud_event_call_ended_event import CloudEventCallEndedEvent
    from ..models.cloud_event_call_forwarded_event import CloudEventCallForwardedEvent
    from ..models.cloud_event_call_held_event import CloudEventCallHeldEvent
    from ..models.cloud_event_call_parked_event import CloudEventCallParkedEvent
    from ..models.cloud_event_call_picked_up_event import CloudEventCallPickedUpEvent
    from ..models.cloud_event_call_resumed_event import CloudEventCallResumedEvent
    from ..models.cloud_event_call_ringing_event import CloudEventCallRingingEvent
    from ..models.cloud_event_call_transferred_event import CloudEventCallTransferredEvent
    from ..models.cloud_event_call_unparked_event import CloudEventCallUnparkedEvent
    from ..models.cloud_event_cdr_created_event import CloudEventCdrCreatedEvent
    from ..models.cloud_event_config_changed_event import CloudEventConfigChangedEvent
    from ..models.cloud_event_message_waiting_changed_event import CloudEventMessageWaitingChangedEvent
    from ..models.cloud_event_presence_changed_event import CloudEventPresenceChangedEvent
    from ..models.cloud_event_recording_ready_event import CloudEventRecordingReadyEvent
    from ..models.cloud_event_registration_created_event import CloudEventRegistrationCreatedEvent
    from ..models.cloud_event_registration_expired_event import CloudEventRegistrationExpiredEvent
    from ..models.cloud_event_registration_refreshed_event import CloudEventRegistrationRefreshedEvent
    from ..models.cloud_event_registration_removed_event import CloudEventRegistrationRemovedEvent
    from ..models.cloud_event_registration_unreachable_event import CloudEventRegistrationUnreachableEvent
    from ..models.cloud_event_security_banned_event import CloudEventSecurityBannedEvent
    from ..models.cloud_event_security_unbanned_event import CloudEventSecurityUnbannedEvent
    from ..models.cloud_event_service_failed_event import CloudEventServiceFailedEvent
    from ..models.cloud_event_trunk_status_changed_event import CloudEventTrunkStatusChangedEvent
    from ..models.cloud_event_voicemail_received_event import CloudEventVoicemailReceivedEvent
    from ..models.cloud_event_webhook_failing_event import CloudEventWebhookFailingEvent
    from ..models.cloud_event_webhook_test_event import CloudEventWebhookTestEvent


T = TypeVar("T", bound="EventPage")


@_attrs_define
class EventPage:
    """A page of the event log.

    Attributes:
        events (list[CloudEventCallAnsweredEvent | CloudEventCallCreatedEvent | CloudEventCallDtmfEvent |
            CloudEventCallEndedEvent | CloudEventCallForwardedEvent | CloudEventCallHeldEvent | CloudEventCallParkedEvent |
            CloudEventCallPickedUpEvent | CloudEventCallResumedEvent | CloudEventCallRingingEvent |
            CloudEventCallTransferredEvent | CloudEventCallUnparkedEvent | CloudEventCdrCreatedEvent |
            CloudEventConfigChangedEvent | CloudEventMessageWaitingChangedEvent | CloudEventPresenceChangedEvent |
            CloudEventRecordingReadyEvent | CloudEventRegistrationCreatedEvent | CloudEventRegistrationExpiredEvent |
            CloudEventRegistrationRefreshedEvent | CloudEventRegistrationRemovedEvent |
            CloudEventRegistrationUnreachableEvent | CloudEventSecurityBannedEvent | CloudEventSecurityUnbannedEvent |
            CloudEventServiceFailedEvent | CloudEventTrunkStatusChangedEvent | CloudEventVoicemailReceivedEvent |
            CloudEventWebhookFailingEvent | CloudEventWebhookTestEvent]): The events that matched the filters, in `seq`
            order.
        next_since_seq (int): Pass as `since_seq` to get the next page (the last seq this page looked at, which
            can be past the last event shown when filters skipped some).
        last_seq (int): The newest seq this node has seen committed (by any node): the log is read to the end when
            `next_since_seq` reaches it.
    """

    events: list[
        CloudEventCallAnsweredEvent
        | CloudEventCallCreatedEvent
        | CloudEventCallDtmfEvent
        | CloudEventCallEndedEvent
        | CloudEventCallForwardedEvent
        | CloudEventCallHeldEvent
        | CloudEventCallParkedEvent
        | CloudEventCallPickedUpEvent
        | CloudEventCallResumedEvent
        | CloudEventCallRingingEvent
        | CloudEventCallTransferredEvent
        | CloudEventCallUnparkedEvent
        | CloudEventCdrCreatedEvent
        | CloudEventConfigChangedEvent
        | CloudEventMessageWaitingChangedEvent
        | CloudEventPresenceChangedEvent
        | CloudEventRecordingReadyEvent
        | CloudEventRegistrationCreatedEvent
        | CloudEventRegistrationExpiredEvent
        | CloudEventRegistrationRefreshedEvent
        | CloudEventRegistrationRemovedEvent
        | CloudEventRegistrationUnreachableEvent
        | CloudEventSecurityBannedEvent
        | CloudEventSecurityUnbannedEvent
        | CloudEventServiceFailedEvent
        | CloudEventTrunkStatusChangedEvent
        | CloudEventVoicemailReceivedEvent
        | CloudEventWebhookFailingEvent
        | CloudEventWebhookTestEvent
    ]
    next_since_seq: int
    last_seq: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_event_call_answered_event import CloudEventCallAnsweredEvent  # noqa: PLC0415
        from ..models.cloud_event_call_created_event import CloudEventCallCreatedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_dtmf_event import CloudEventCallDtmfEvent  # noqa: PLC0415
        from ..models.cloud_event_call_ended_event import CloudEventCallEndedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_forwarded_event import CloudEventCallForwardedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_held_event import CloudEventCallHeldEvent  # noqa: PLC0415
        from ..models.cloud_event_call_parked_event import CloudEventCallParkedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_picked_up_event import CloudEventCallPickedUpEvent  # noqa: PLC0415
        from ..models.cloud_event_call_resumed_event import CloudEventCallResumedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_ringing_event import CloudEventCallRingingEvent  # noqa: PLC0415
        from ..models.cloud_event_call_transferred_event import CloudEventCallTransferredEvent  # noqa: PLC0415
        from ..models.cloud_event_call_unparked_event import CloudEventCallUnparkedEvent  # noqa: PLC0415
        from ..models.cloud_event_cdr_created_event import CloudEventCdrCreatedEvent  # noqa: PLC0415
        from ..models.cloud_event_config_changed_event import CloudEventConfigChangedEvent  # noqa: PLC0415
        from ..models.cloud_event_message_waiting_changed_event import (
            CloudEventMessageWaitingChangedEvent,  # noqa: PLC0415
        )
        from ..models.cloud_event_presence_changed_event import CloudEventPresenceChangedEvent  # noqa: PLC0415
        from ..models.cloud_event_recording_ready_event import CloudEventRecordingReadyEvent  # noqa: PLC0415
        from ..models.cloud_event_registration_created_event import CloudEventRegistrationCreatedEvent  # noqa: PLC0415
        from ..models.cloud_event_registration_expired_event import CloudEventRegistrationExpiredEvent  # noqa: PLC0415
        from ..models.cloud_event_registration_refreshed_event import (
            CloudEventRegistrationRefreshedEvent,  # noqa: PLC0415
        )
        from ..models.cloud_event_registration_removed_event import CloudEventRegistrationRemovedEvent  # noqa: PLC0415
        from ..models.cloud_event_registration_unreachable_event import (
            CloudEventRegistrationUnreachableEvent,  # noqa: PLC0415
        )
        from ..models.cloud_event_security_banned_event import CloudEventSecurityBannedEvent  # noqa: PLC0415
        from ..models.cloud_event_security_unbanned_event import CloudEventSecurityUnbannedEvent  # noqa: PLC0415
        from ..models.cloud_event_trunk_status_changed_event import CloudEventTrunkStatusChangedEvent  # noqa: PLC0415
        from ..models.cloud_event_voicemail_received_event import CloudEventVoicemailReceivedEvent  # noqa: PLC0415
        from ..models.cloud_event_webhook_failing_event import CloudEventWebhookFailingEvent  # noqa: PLC0415
        from ..models.cloud_event_webhook_test_event import CloudEventWebhookTestEvent  # noqa: PLC0415

        events = []
        for events_item_data in self.events:
            events_item: dict[str, Any]
            if isinstance(events_item_data, CloudEventRegistrationCreatedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventRegistrationRefreshedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventRegistrationRemovedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventRegistrationExpiredEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventRegistrationUnreachableEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallCreatedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallRingingEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallForwardedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallAnsweredEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallTransferredEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallPickedUpEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallParkedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallUnparkedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventPresenceChangedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallHeldEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallResumedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventRecordingReadyEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallDtmfEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCallEndedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventCdrCreatedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventVoicemailReceivedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventMessageWaitingChangedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventTrunkStatusChangedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventConfigChangedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventWebhookTestEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventWebhookFailingEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventSecurityBannedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, CloudEventSecurityUnbannedEvent):
                events_item = events_item_data.to_dict()
            else:
                events_item = events_item_data.to_dict()

            events.append(events_item)

        next_since_seq = self.next_since_seq

        last_seq = self.last_seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "events": events,
                "next_since_seq": next_since_seq,
                "last_seq": last_seq,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_event_call_answered_event import CloudEventCallAnsweredEvent  # noqa: PLC0415
        from ..models.cloud_event_call_created_event import CloudEventCallCreatedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_dtmf_event import CloudEventCallDtmfEvent  # noqa: PLC0415
        from ..models.cloud_event_call_ended_event import CloudEventCallEndedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_forwarded_event import CloudEventCallForwardedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_held_event import CloudEventCallHeldEvent  # noqa: PLC0415
        from ..models.cloud_event_call_parked_event import CloudEventCallParkedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_picked_up_event import CloudEventCallPickedUpEvent  # noqa: PLC0415
        from ..models.cloud_event_call_resumed_event import CloudEventCallResumedEvent  # noqa: PLC0415
        from ..models.cloud_event_call_ringing_event import CloudEventCallRingingEvent  # noqa: PLC0415
        from ..models.cloud_event_call_transferred_event import CloudEventCallTransferredEvent  # noqa: PLC0415
        from ..models.cloud_event_call_unparked_event import CloudEventCallUnparkedEvent  # noqa: PLC0415
        from ..models.cloud_event_cdr_created_event import CloudEventCdrCreatedEvent  # noqa: PLC0415
        from ..models.cloud_event_config_changed_event import CloudEventConfigChangedEvent  # noqa: PLC0415
        from ..models.cloud_event_message_waiting_changed_event import (
            CloudEventMessageWaitingChangedEvent,  # noqa: PLC0415
        )
        from ..models.cloud_event_presence_changed_event import CloudEventPresenceChangedEvent  # noqa: PLC0415
        from ..models.cloud_event_recording_ready_event import CloudEventRecordingReadyEvent  # noqa: PLC0415
        from ..models.cloud_event_registration_created_event import CloudEventRegistrationCreatedEvent  # noqa: PLC0415
        from ..models.cloud_event_registration_expired_event import CloudEventRegistrationExpiredEvent  # noqa: PLC0415
        from ..models.cloud_event_registration_refreshed_event import (
            CloudEventRegistrationRefreshedEvent,  # noqa: PLC0415
        )
        from ..models.cloud_event_registration_removed_event import CloudEventRegistrationRemovedEvent  # noqa: PLC0415
        from ..models.cloud_event_registration_unreachable_event import (
            CloudEventRegistrationUnreachableEvent,  # noqa: PLC0415
        )
        from ..models.cloud_event_security_banned_event import CloudEventSecurityBannedEvent  # noqa: PLC0415
        from ..models.cloud_event_security_unbanned_event import CloudEventSecurityUnbannedEvent  # noqa: PLC0415
        from ..models.cloud_event_service_failed_event import CloudEventServiceFailedEvent  # noqa: PLC0415
        from ..models.cloud_event_trunk_status_changed_event import CloudEventTrunkStatusChangedEvent  # noqa: PLC0415
        from ..models.cloud_event_voicemail_received_event import CloudEventVoicemailReceivedEvent  # noqa: PLC0415
        from ..models.cloud_event_webhook_failing_event import CloudEventWebhookFailingEvent  # noqa: PLC0415
        from ..models.cloud_event_webhook_test_event import CloudEventWebhookTestEvent  # noqa: PLC0415

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:

            def _parse_events_item(
                data: object,
            ) -> (
                CloudEventCallAnsweredEvent
                | CloudEventCallCreatedEvent
                | CloudEventCallDtmfEvent
                | CloudEventCallEndedEvent
                | CloudEventCallForwardedEvent
                | CloudEventCallHeldEvent
                | CloudEventCallParkedEvent
                | CloudEventCallPickedUpEvent
                | CloudEventCallResumedEvent
                | CloudEventCallRingingEvent
                | CloudEventCallTransferredEvent
                | CloudEventCallUnparkedEvent
                | CloudEventCdrCreatedEvent
                | CloudEventConfigChangedEvent
                | CloudEventMessageWaitingChangedEvent
                | CloudEventPresenceChangedEvent
                | CloudEventRecordingReadyEvent
                | CloudEventRegistrationCreatedEvent
                | CloudEventRegistrationExpiredEvent
                | CloudEventRegistrationRefreshedEvent
                | CloudEventRegistrationRemovedEvent
                | CloudEventRegistrationUnreachableEvent
                | CloudEventSecurityBannedEvent
                | CloudEventSecurityUnbannedEvent
                | CloudEventServiceFailedEvent
                | CloudEventTrunkStatusChangedEvent
                | CloudEventVoicemailReceivedEvent
                | CloudEventWebhookFailingEvent
                | CloudEventWebhookTestEvent
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_0 = CloudEventRegistrationCreatedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_1 = CloudEventRegistrationRefreshedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_2 = CloudEventRegistrationRemovedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_3 = CloudEventRegistrationExpiredEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_4 = CloudEventRegistrationUnreachableEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_5 = CloudEventCallCreatedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_6 = CloudEventCallRingingEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_6
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_7 = CloudEventCallForwardedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_7
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_8 = CloudEventCallAnsweredEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_8
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_9 = CloudEventCallTransferredEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_9
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_10 = CloudEventCallPickedUpEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_10
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_11 = CloudEventCallParkedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_11
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_12 = CloudEventCallUnparkedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_12
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_13 = CloudEventPresenceChangedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_13
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_14 = CloudEventCallHeldEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_14
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_15 = CloudEventCallResumedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_15
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_16 = CloudEventRecordingReadyEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_16
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_17 = CloudEventCallDtmfEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_17
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_18 = CloudEventCallEndedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_18
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_19 = CloudEventCdrCreatedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_19
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_20 = CloudEventVoicemailReceivedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_20
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_21 = CloudEventMessageWaitingChangedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_21
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_22 = CloudEventTrunkStatusChangedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_22
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_23 = CloudEventConfigChangedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_23
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_24 = CloudEventWebhookTestEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_24
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_25 = CloudEventWebhookFailingEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_25
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_26 = CloudEventSecurityBannedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_26
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cloud_event_type_27 = CloudEventSecurityUnbannedEvent.from_dict(data)

                    return componentsschemas_cloud_event_type_27
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_cloud_event_type_28 = CloudEventServiceFailedEvent.from_dict(data)

                return componentsschemas_cloud_event_type_28

            events_item = _parse_events_item(events_item_data)

            events.append(events_item)

        next_since_seq = d.pop("next_since_seq")

        last_seq = d.pop("last_seq")

        event_page = cls(
            events=events,
            next_since_seq=next_since_seq,
            last_seq=last_seq,
        )

        event_page.additional_properties = d
        return event_page

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
