"""Contains all the data models used in inputs/outputs"""

from .api_token import ApiToken
from .api_token_create import ApiTokenCreate
from .api_token_created import ApiTokenCreated
from .api_token_page import ApiTokenPage
from .api_token_patch import ApiTokenPatch
from .auth_failure_source import AuthFailureSource
from .ban_create import BanCreate
from .ban_data import BanData
from .ban_view import BanView
from .binding import Binding
from .binding_transport import BindingTransport
from .call_answered_data import CallAnsweredData
from .call_answered_event import CallAnsweredEvent
from .call_created_data import CallCreatedData
from .call_created_event import CallCreatedEvent
from .call_dtmf_data import CallDtmfData
from .call_dtmf_event import CallDtmfEvent
from .call_ended_data import CallEndedData
from .call_ended_event import CallEndedEvent
from .call_forwarded_data import CallForwardedData
from .call_forwarded_event import CallForwardedEvent
from .call_held_event import CallHeldEvent
from .call_hold_data import CallHoldData
from .call_list import CallList
from .call_parked_data import CallParkedData
from .call_parked_event import CallParkedEvent
from .call_picked_up_data import CallPickedUpData
from .call_picked_up_event import CallPickedUpEvent
from .call_resumed_event import CallResumedEvent
from .call_ringing_data import CallRingingData
from .call_ringing_event import CallRingingEvent
from .call_state import CallState
from .call_transferred_data import CallTransferredData
from .call_transferred_event import CallTransferredEvent
from .call_unparked_data import CallUnparkedData
from .call_unparked_event import CallUnparkedEvent
from .call_view import CallView
from .caller_id import CallerId
from .cdr import Cdr
from .cdr_created_event import CdrCreatedEvent
from .cdr_page import CdrPage
from .certificates_view import CertificatesView
from .click_to_call_request import ClickToCallRequest
from .click_to_call_started import ClickToCallStarted
from .cloud_event_call_answered_event import CloudEventCallAnsweredEvent
from .cloud_event_call_answered_event_type import CloudEventCallAnsweredEventType
from .cloud_event_call_created_event import CloudEventCallCreatedEvent
from .cloud_event_call_created_event_type import CloudEventCallCreatedEventType
from .cloud_event_call_dtmf_event import CloudEventCallDtmfEvent
from .cloud_event_call_dtmf_event_type import CloudEventCallDtmfEventType
from .cloud_event_call_ended_event import CloudEventCallEndedEvent
from .cloud_event_call_ended_event_type import CloudEventCallEndedEventType
from .cloud_event_call_forwarded_event import CloudEventCallForwardedEvent
from .cloud_event_call_forwarded_event_type import CloudEventCallForwardedEventType
from .cloud_event_call_held_event import CloudEventCallHeldEvent
from .cloud_event_call_held_event_type import CloudEventCallHeldEventType
from .cloud_event_call_parked_event import CloudEventCallParkedEvent
from .cloud_event_call_parked_event_type import CloudEventCallParkedEventType
from .cloud_event_call_picked_up_event import CloudEventCallPickedUpEvent
from .cloud_event_call_picked_up_event_type import CloudEventCallPickedUpEventType
from .cloud_event_call_resumed_event import CloudEventCallResumedEvent
from .cloud_event_call_resumed_event_type import CloudEventCallResumedEventType
from .cloud_event_call_ringing_event import CloudEventCallRingingEvent
from .cloud_event_call_ringing_event_type import CloudEventCallRingingEventType
from .cloud_event_call_transferred_event import CloudEventCallTransferredEvent
from .cloud_event_call_transferred_event_type import CloudEventCallTransferredEventType
from .cloud_event_call_unparked_event import CloudEventCallUnparkedEvent
from .cloud_event_call_unparked_event_type import CloudEventCallUnparkedEventType
from .cloud_event_cdr_created_event import CloudEventCdrCreatedEvent
from .cloud_event_cdr_created_event_type import CloudEventCdrCreatedEventType
from .cloud_event_config_changed_event import CloudEventConfigChangedEvent
from .cloud_event_config_changed_event_type import CloudEventConfigChangedEventType
from .cloud_event_message_waiting_changed_event import CloudEventMessageWaitingChangedEvent
from .cloud_event_message_waiting_changed_event_type import CloudEventMessageWaitingChangedEventType
from .cloud_event_presence_changed_event import CloudEventPresenceChangedEvent
from .cloud_event_presence_changed_event_type import CloudEventPresenceChangedEventType
from .cloud_event_recording_ready_event import CloudEventRecordingReadyEvent
from .cloud_event_recording_ready_event_type import CloudEventRecordingReadyEventType
from .cloud_event_registration_created_event import CloudEventRegistrationCreatedEvent
from .cloud_event_registration_created_event_type import CloudEventRegistrationCreatedEventType
from .cloud_event_registration_expired_event import CloudEventRegistrationExpiredEvent
from .cloud_event_registration_expired_event_type import CloudEventRegistrationExpiredEventType
from .cloud_event_registration_refreshed_event import CloudEventRegistrationRefreshedEvent
from .cloud_event_registration_refreshed_event_type import CloudEventRegistrationRefreshedEventType
from .cloud_event_registration_removed_event import CloudEventRegistrationRemovedEvent
from .cloud_event_registration_removed_event_type import CloudEventRegistrationRemovedEventType
from .cloud_event_registration_unreachable_event import CloudEventRegistrationUnreachableEvent
from .cloud_event_registration_unreachable_event_type import CloudEventRegistrationUnreachableEventType
from .cloud_event_security_banned_event import CloudEventSecurityBannedEvent
from .cloud_event_security_banned_event_type import CloudEventSecurityBannedEventType
from .cloud_event_security_unbanned_event import CloudEventSecurityUnbannedEvent
from .cloud_event_security_unbanned_event_type import CloudEventSecurityUnbannedEventType
from .cloud_event_service_failed_event import CloudEventServiceFailedEvent
from .cloud_event_service_failed_event_type import CloudEventServiceFailedEventType
from .cloud_event_trunk_status_changed_event import CloudEventTrunkStatusChangedEvent
from .cloud_event_trunk_status_changed_event_type import CloudEventTrunkStatusChangedEventType
from .cloud_event_voicemail_received_event import CloudEventVoicemailReceivedEvent
from .cloud_event_voicemail_received_event_type import CloudEventVoicemailReceivedEventType
from .cloud_event_webhook_failing_event import CloudEventWebhookFailingEvent
from .cloud_event_webhook_failing_event_type import CloudEventWebhookFailingEventType
from .cloud_event_webhook_test_event import CloudEventWebhookTestEvent
from .cloud_event_webhook_test_event_type import CloudEventWebhookTestEventType
from .config_changed_data import ConfigChangedData
from .config_changed_event import ConfigChangedEvent
from .config_counts import ConfigCounts
from .delivery import Delivery
from .delivery_list import DeliveryList
from .disposition import Disposition
from .dtmf_via import DtmfVia
from .event_page import EventPage
from .extension import Extension
from .extension_create import ExtensionCreate
from .extension_page import ExtensionPage
from .extension_patch import ExtensionPatch
from .fail_to_ban import FailToBan
from .feature_codes import FeatureCodes
from .feature_codes_patch import FeatureCodesPatch
from .field_error import FieldError
from .forward_reason import ForwardReason
from .forwarding import Forwarding
from .greeting_view import GreetingView
from .hangup_reason import HangupReason
from .hangup_side import HangupSide
from .inbound_by_registration import InboundByRegistration
from .inbound_by_source import InboundBySource
from .inbound_by_to_user import InboundByToUser
from .inbound_match_inbound_by_registration import InboundMatchInboundByRegistration
from .inbound_match_inbound_by_registration_kind import InboundMatchInboundByRegistrationKind
from .inbound_match_inbound_by_source import InboundMatchInboundBySource
from .inbound_match_inbound_by_source_kind import InboundMatchInboundBySourceKind
from .inbound_match_inbound_by_to_user import InboundMatchInboundByToUser
from .inbound_match_inbound_by_to_user_kind import InboundMatchInboundByToUserKind
from .ivr_menu import IvrMenu
from .ivr_menu_create import IvrMenuCreate
from .ivr_menu_create_options import IvrMenuCreateOptions
from .ivr_menu_options import IvrMenuOptions
from .ivr_menu_page import IvrMenuPage
from .ivr_menu_patch import IvrMenuPatch
from .ivr_menu_patch_options import IvrMenuPatchOptions
from .ivr_target import IvrTarget
from .ivr_target_kind import IvrTargetKind
from .keep import Keep
from .leg_role import LegRole
from .leg_view import LegView
from .lua_limits import LuaLimits
from .lua_service import LuaService
from .lua_service_create import LuaServiceCreate
from .lua_service_page import LuaServicePage
from .lua_service_patch import LuaServicePatch
from .mail_queue import MailQueue
from .matched_by import MatchedBy
from .media_mode import MediaMode
from .media_status import MediaStatus
from .menu_prompt_view import MenuPromptView
from .message_counts import MessageCounts
from .message_waiting_changed_event import MessageWaitingChangedEvent
from .message_waiting_data import MessageWaitingData
from .package import Package
from .pickup_via import PickupVia
from .presence_changed_data import PresenceChangedData
from .presence_changed_event import PresenceChangedEvent
from .presence_state import PresenceState
from .problem import Problem
from .queued_mail import QueuedMail
from .rate_limit import RateLimit
from .recording import Recording
from .recording_list import RecordingList
from .recording_mode import RecordingMode
from .recording_ready_data import RecordingReadyData
from .recording_ready_event import RecordingReadyEvent
from .registration_created_event import RegistrationCreatedEvent
from .registration_data import RegistrationData
from .registration_expired_event import RegistrationExpiredEvent
from .registration_list import RegistrationList
from .registration_refreshed_event import RegistrationRefreshedEvent
from .registration_removed_event import RegistrationRemovedEvent
from .registration_unreachable_data import RegistrationUnreachableData
from .registration_unreachable_event import RegistrationUnreachableEvent
from .resolved_target import ResolvedTarget
from .ring_group import RingGroup
from .ring_group_create import RingGroupCreate
from .ring_group_page import RingGroupPage
from .ring_group_patch import RingGroupPatch
from .ring_strategy import RingStrategy
from .route import Route
from .route_create import RouteCreate
from .route_page import RoutePage
from .route_patch import RoutePatch
from .route_resolution import RouteResolution
from .route_target import RouteTarget
from .route_target_kind import RouteTargetKind
from .scope import Scope
from .security_banned_event import SecurityBannedEvent
from .security_counters import SecurityCounters
from .security_settings import SecuritySettings
from .security_settings_patch import SecuritySettingsPatch
from .security_unbanned_event import SecurityUnbannedEvent
from .service_failed_data import ServiceFailedData
from .service_failed_event import ServiceFailedEvent
from .service_stats import ServiceStats
from .signature import Signature
from .signature_action import SignatureAction
from .signature_field import SignatureField
from .signature_hits import SignatureHits
from .signature_match import SignatureMatch
from .signing_key_list import SigningKeyList
from .signing_key_view import SigningKeyView
from .sip_dialog_ids import SipDialogIds
from .sip_status import SipStatus
from .sip_trace import SipTrace
from .sip_trace_create import SipTraceCreate
from .sip_trace_list import SipTraceList
from .smtp_settings_put import SmtpSettingsPut
from .smtp_settings_view import SmtpSettingsView
from .smtp_tls import SmtpTls
from .status import Status
from .subscription_list import SubscriptionList
from .subscription_view import SubscriptionView
from .test_sent import TestSent
from .transfer_accepted import TransferAccepted
from .transfer_request import TransferRequest
from .transfer_via import TransferVia
from .transport import Transport
from .trunk import Trunk
from .trunk_create import TrunkCreate
from .trunk_page import TrunkPage
from .trunk_patch import TrunkPatch
from .trunk_quirks import TrunkQuirks
from .trunk_state import TrunkState
from .trunk_status import TrunkStatus
from .trunk_status_changed_event import TrunkStatusChangedEvent
from .trunk_status_data import TrunkStatusData
from .unpark_reason import UnparkReason
from .voicemail_box import VoicemailBox
from .voicemail_message import VoicemailMessage
from .voicemail_message_list import VoicemailMessageList
from .voicemail_message_patch import VoicemailMessagePatch
from .voicemail_received_data import VoicemailReceivedData
from .voicemail_received_event import VoicemailReceivedEvent
from .voicemail_settings import VoicemailSettings
from .voicemail_settings_patch import VoicemailSettingsPatch
from .webhook import Webhook
from .webhook_create import WebhookCreate
from .webhook_failing_data import WebhookFailingData
from .webhook_failing_event import WebhookFailingEvent
from .webhook_page import WebhookPage
from .webhook_patch import WebhookPatch
from .webhook_test_data import WebhookTestData
from .webhook_test_event import WebhookTestEvent

__all__ = (
    "ApiToken",
    "ApiTokenCreate",
    "ApiTokenCreated",
    "ApiTokenPage",
    "ApiTokenPatch",
    "AuthFailureSource",
    "BanCreate",
    "BanData",
    "BanView",
    "Binding",
    "BindingTransport",
    "CallAnsweredData",
    "CallAnsweredEvent",
    "CallCreatedData",
    "CallCreatedEvent",
    "CallDtmfData",
    "CallDtmfEvent",
    "CallEndedData",
    "CallEndedEvent",
    "CallerId",
    "CallForwardedData",
    "CallForwardedEvent",
    "CallHeldEvent",
    "CallHoldData",
    "CallList",
    "CallParkedData",
    "CallParkedEvent",
    "CallPickedUpData",
    "CallPickedUpEvent",
    "CallResumedEvent",
    "CallRingingData",
    "CallRingingEvent",
    "CallState",
    "CallTransferredData",
    "CallTransferredEvent",
    "CallUnparkedData",
    "CallUnparkedEvent",
    "CallView",
    "Cdr",
    "CdrCreatedEvent",
    "CdrPage",
    "CertificatesView",
    "ClickToCallRequest",
    "ClickToCallStarted",
    "CloudEventCallAnsweredEvent",
    "CloudEventCallAnsweredEventType",
    "CloudEventCallCreatedEvent",
    "CloudEventCallCreatedEventType",
    "CloudEventCallDtmfEvent",
    "CloudEventCallDtmfEventType",
    "CloudEventCallEndedEvent",
    "CloudEventCallEndedEventType",
    "CloudEventCallForwardedEvent",
    "CloudEventCallForwardedEventType",
    "CloudEventCallHeldEvent",
    "CloudEventCallHeldEventType",
    "CloudEventCallParkedEvent",
    "CloudEventCallParkedEventType",
    "CloudEventCallPickedUpEvent",
    "CloudEventCallPickedUpEventType",
    "CloudEventCallResumedEvent",
    "CloudEventCallResumedEventType",
    "CloudEventCallRingingEvent",
    "CloudEventCallRingingEventType",
    "CloudEventCallTransferredEvent",
    "CloudEventCallTransferredEventType",
    "CloudEventCallUnparkedEvent",
    "CloudEventCallUnparkedEventType",
    "CloudEventCdrCreatedEvent",
    "CloudEventCdrCreatedEventType",
    "CloudEventConfigChangedEvent",
    "CloudEventConfigChangedEventType",
    "CloudEventMessageWaitingChangedEvent",
    "CloudEventMessageWaitingChangedEventType",
    "CloudEventPresenceChangedEvent",
    "CloudEventPresenceChangedEventType",
    "CloudEventRecordingReadyEvent",
    "CloudEventRecordingReadyEventType",
    "CloudEventRegistrationCreatedEvent",
    "CloudEventRegistrationCreatedEventType",
    "CloudEventRegistrationExpiredEvent",
    "CloudEventRegistrationExpiredEventType",
    "CloudEventRegistrationRefreshedEvent",
    "CloudEventRegistrationRefreshedEventType",
    "CloudEventRegistrationRemovedEvent",
    "CloudEventRegistrationRemovedEventType",
    "CloudEventRegistrationUnreachableEvent",
    "CloudEventRegistrationUnreachableEventType",
    "CloudEventSecurityBannedEvent",
    "CloudEventSecurityBannedEventType",
    "CloudEventSecurityUnbannedEvent",
    "CloudEventSecurityUnbannedEventType",
    "CloudEventServiceFailedEvent",
    "CloudEventServiceFailedEventType",
    "CloudEventTrunkStatusChangedEvent",
    "CloudEventTrunkStatusChangedEventType",
    "CloudEventVoicemailReceivedEvent",
    "CloudEventVoicemailReceivedEventType",
    "CloudEventWebhookFailingEvent",
    "CloudEventWebhookFailingEventType",
    "CloudEventWebhookTestEvent",
    "CloudEventWebhookTestEventType",
    "ConfigChangedData",
    "ConfigChangedEvent",
    "ConfigCounts",
    "Delivery",
    "DeliveryList",
    "Disposition",
    "DtmfVia",
    "EventPage",
    "Extension",
    "ExtensionCreate",
    "ExtensionPage",
    "ExtensionPatch",
    "FailToBan",
    "FeatureCodes",
    "FeatureCodesPatch",
    "FieldError",
    "Forwarding",
    "ForwardReason",
    "GreetingView",
    "HangupReason",
    "HangupSide",
    "InboundByRegistration",
    "InboundBySource",
    "InboundByToUser",
    "InboundMatchInboundByRegistration",
    "InboundMatchInboundByRegistrationKind",
    "InboundMatchInboundBySource",
    "InboundMatchInboundBySourceKind",
    "InboundMatchInboundByToUser",
    "InboundMatchInboundByToUserKind",
    "IvrMenu",
    "IvrMenuCreate",
    "IvrMenuCreateOptions",
    "IvrMenuOptions",
    "IvrMenuPage",
    "IvrMenuPatch",
    "IvrMenuPatchOptions",
    "IvrTarget",
    "IvrTargetKind",
    "Keep",
    "LegRole",
    "LegView",
    "LuaLimits",
    "LuaService",
    "LuaServiceCreate",
    "LuaServicePage",
    "LuaServicePatch",
    "MailQueue",
    "MatchedBy",
    "MediaMode",
    "MediaStatus",
    "MenuPromptView",
    "MessageCounts",
    "MessageWaitingChangedEvent",
    "MessageWaitingData",
    "Package",
    "PickupVia",
    "PresenceChangedData",
    "PresenceChangedEvent",
    "PresenceState",
    "Problem",
    "QueuedMail",
    "RateLimit",
    "Recording",
    "RecordingList",
    "RecordingMode",
    "RecordingReadyData",
    "RecordingReadyEvent",
    "RegistrationCreatedEvent",
    "RegistrationData",
    "RegistrationExpiredEvent",
    "RegistrationList",
    "RegistrationRefreshedEvent",
    "RegistrationRemovedEvent",
    "RegistrationUnreachableData",
    "RegistrationUnreachableEvent",
    "ResolvedTarget",
    "RingGroup",
    "RingGroupCreate",
    "RingGroupPage",
    "RingGroupPatch",
    "RingStrategy",
    "Route",
    "RouteCreate",
    "RoutePage",
    "RoutePatch",
    "RouteResolution",
    "RouteTarget",
    "RouteTargetKind",
    "Scope",
    "SecurityBannedEvent",
    "SecurityCounters",
    "SecuritySettings",
    "SecuritySettingsPatch",
    "SecurityUnbannedEvent",
    "ServiceFailedData",
    "ServiceFailedEvent",
    "ServiceStats",
    "Signature",
    "SignatureAction",
    "SignatureField",
    "SignatureHits",
    "SignatureMatch",
    "SigningKeyList",
    "SigningKeyView",
    "SipDialogIds",
    "SipStatus",
    "SipTrace",
    "SipTraceCreate",
    "SipTraceList",
    "SmtpSettingsPut",
    "SmtpSettingsView",
    "SmtpTls",
    "Status",
    "SubscriptionList",
    "SubscriptionView",
    "TestSent",
    "TransferAccepted",
    "TransferRequest",
    "TransferVia",
    "Transport",
    "Trunk",
    "TrunkCreate",
    "TrunkPage",
    "TrunkPatch",
    "TrunkQuirks",
    "TrunkState",
    "TrunkStatus",
    "TrunkStatusChangedEvent",
    "TrunkStatusData",
    "UnparkReason",
    "VoicemailBox",
    "VoicemailMessage",
    "VoicemailMessageList",
    "VoicemailMessagePatch",
    "VoicemailReceivedData",
    "VoicemailReceivedEvent",
    "VoicemailSettings",
    "VoicemailSettingsPatch",
    "Webhook",
    "WebhookCreate",
    "WebhookFailingData",
    "WebhookFailingEvent",
    "WebhookPage",
    "WebhookPatch",
    "WebhookTestData",
    "WebhookTestEvent",
)
