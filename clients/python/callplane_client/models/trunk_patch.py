from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.media_mode import MediaMode
from ..models.recording_mode import RecordingMode
from ..models.transport import Transport
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.caller_id import CallerId
    from ..models.inbound_match_inbound_by_registration import InboundMatchInboundByRegistration
    from ..models.inbound_match_inbound_by_source import InboundMatchInboundBySource
    from ..models.inbound_match_inbound_by_to_user import InboundMatchInboundByToUser
    from ..models.trunk_quirks import TrunkQuirks


T = TypeVar("T", bound="TrunkPatch")


@_attrs_define
class TrunkPatch:
    """
    Attributes:
        name (str | Unset):
        host (str | Unset): A host name or IP address.
        port (int | Unset): `null`: the carrier's DNS decides.
        transport (Transport | Unset):
        register (bool | Unset):
        username (str | Unset):
        auth_username (str | Unset):
        password (str | Unset):
        realm (str | Unset):
        expires_s (int | Unset):
        outbound_proxy (str | Unset): `host` or `host:port`.
        inbound_match (InboundMatchInboundByRegistration | InboundMatchInboundBySource | InboundMatchInboundByToUser |
            Unset): How Callplane recognises calls arriving from this trunk.
        inbound_destination (str | Unset): A dialable number: digits with an optional leading `+`.
        caller_id (CallerId | Unset): Caller identity presented on outbound calls through this trunk.
        keepalive_s (int | Unset):
        max_calls (int | Unset):
        enabled (bool | Unset):
        quirks (TrunkQuirks | Unset): Per-trunk interoperability switches; each cures a symptom of a real carrier
            (docs/trunks.md).
        media_mode (MediaMode | Unset): `auto`: through the media relay when a party is behind NAT or the call crosses a
            trunk; `relay`: always through the relay; `direct`: not through the relay (endpoints
            send RTP to each other) unless a party has `recording: always`.
        recording (RecordingMode | Unset): When an extension's or trunk's calls are recorded (relayed calls only;
            `always` puts the
            call through the relay).
    """

    name: str | Unset = UNSET
    host: str | Unset = UNSET
    port: int | Unset = UNSET
    transport: Transport | Unset = UNSET
    register: bool | Unset = UNSET
    username: str | Unset = UNSET
    auth_username: str | Unset = UNSET
    password: str | Unset = UNSET
    realm: str | Unset = UNSET
    expires_s: int | Unset = UNSET
    outbound_proxy: str | Unset = UNSET
    inbound_match: (
        InboundMatchInboundByRegistration | InboundMatchInboundBySource | InboundMatchInboundByToUser | Unset
    ) = UNSET
    inbound_destination: str | Unset = UNSET
    caller_id: CallerId | Unset = UNSET
    keepalive_s: int | Unset = UNSET
    max_calls: int | Unset = UNSET
    enabled: bool | Unset = UNSET
    quirks: TrunkQuirks | Unset = UNSET
    media_mode: MediaMode | Unset = UNSET
    recording: RecordingMode | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.inbound_match_inbound_by_registration import InboundMatchInboundByRegistration  # noqa: PLC0415
        from ..models.inbound_match_inbound_by_source import InboundMatchInboundBySource  # noqa: PLC0415

        name = self.name

        host = self.host

        port = self.port

        transport: str | Unset = UNSET
        if not isinstance(self.transport, Unset):
            transport = self.transport.value

        register = self.register

        username = self.username

        auth_username = self.auth_username

        password = self.password

        realm = self.realm

        expires_s = self.expires_s

        outbound_proxy = self.outbound_proxy

        inbound_match: dict[str, Any] | Unset
        if isinstance(self.inbound_match, Unset):
            inbound_match = UNSET
        elif isinstance(self.inbound_match, InboundMatchInboundBySource):
            inbound_match = self.inbound_match.to_dict()
        elif isinstance(self.inbound_match, InboundMatchInboundByRegistration):
            inbound_match = self.inbound_match.to_dict()
        else:
            inbound_match = self.inbound_match.to_dict()

        inbound_destination = self.inbound_destination

        caller_id: dict[str, Any] | Unset = UNSET
        if not isinstance(self.caller_id, Unset):
            caller_id = self.caller_id.to_dict()

        keepalive_s = self.keepalive_s

        max_calls = self.max_calls

        enabled = self.enabled

        quirks: dict[str, Any] | Unset = UNSET
        if not isinstance(self.quirks, Unset):
            quirks = self.quirks.to_dict()

        media_mode: str | Unset = UNSET
        if not isinstance(self.media_mode, Unset):
            media_mode = self.media_mode.value

        recording: str | Unset = UNSET
        if not isinstance(self.recording, Unset):
            recording = self.recording.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if host is not UNSET:
            field_dict["host"] = host
        if port is not UNSET:
            field_dict["port"] = port
        if transport is not UNSET:
            field_dict["transport"] = transport
        if register is not UNSET:
            field_dict["register"] = register
        if username is not UNSET:
            field_dict["username"] = username
        if auth_username is not UNSET:
            field_dict["auth_username"] = auth_username
        if password is not UNSET:
            field_dict["password"] = password
        if realm is not UNSET:
            field_dict["realm"] = realm
        if expires_s is not UNSET:
            field_dict["expires_s"] = expires_s
        if outbound_proxy is not UNSET:
            field_dict["outbound_proxy"] = outbound_proxy
        if inbound_match is not UNSET:
            field_dict["inbound_match"] = inbound_match
        if inbound_destination is not UNSET:
            field_dict["inbound_destination"] = inbound_destination
        if caller_id is not UNSET:
            field_dict["caller_id"] = caller_id
        if keepalive_s is not UNSET:
            field_dict["keepalive_s"] = keepalive_s
        if max_calls is not UNSET:
            field_dict["max_calls"] = max_calls
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if quirks is not UNSET:
            field_dict["quirks"] = quirks
        if media_mode is not UNSET:
            field_dict["media_mode"] = media_mode
        if recording is not UNSET:
            field_dict["recording"] = recording

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.caller_id import CallerId  # noqa: PLC0415
        from ..models.inbound_match_inbound_by_registration import InboundMatchInboundByRegistration  # noqa: PLC0415
        from ..models.inbound_match_inbound_by_source import InboundMatchInboundBySource  # noqa: PLC0415
        from ..models.inbound_match_inbound_by_to_user import InboundMatchInboundByToUser  # noqa: PLC0415
        from ..models.trunk_quirks import TrunkQuirks  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        host = d.pop("host", UNSET)

        port = d.pop("port", UNSET)

        _transport = d.pop("transport", UNSET)
        transport: Transport | Unset
        if isinstance(_transport, Unset):
            transport = UNSET
        else:
            transport = Transport(_transport)

        register = d.pop("register", UNSET)

        username = d.pop("username", UNSET)

        auth_username = d.pop("auth_username", UNSET)

        password = d.pop("password", UNSET)

        realm = d.pop("realm", UNSET)

        expires_s = d.pop("expires_s", UNSET)

        outbound_proxy = d.pop("outbound_proxy", UNSET)

        def _parse_inbound_match(
            data: object,
        ) -> InboundMatchInboundByRegistration | InboundMatchInboundBySource | InboundMatchInboundByToUser | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_inbound_match_type_0 = InboundMatchInboundBySource.from_dict(data)

                return componentsschemas_inbound_match_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_inbound_match_type_1 = InboundMatchInboundByRegistration.from_dict(data)

                return componentsschemas_inbound_match_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_inbound_match_type_2 = InboundMatchInboundByToUser.from_dict(data)

            return componentsschemas_inbound_match_type_2

        inbound_match = _parse_inbound_match(d.pop("inbound_match", UNSET))

        inbound_destination = d.pop("inbound_destination", UNSET)

        _caller_id = d.pop("caller_id", UNSET)
        caller_id: CallerId | Unset
        if isinstance(_caller_id, Unset):
            caller_id = UNSET
        else:
            caller_id = CallerId.from_dict(_caller_id)

        keepalive_s = d.pop("keepalive_s", UNSET)

        max_calls = d.pop("max_calls", UNSET)

        enabled = d.pop("enabled", UNSET)

        _quirks = d.pop("quirks", UNSET)
        quirks: TrunkQuirks | Unset
        if isinstance(_quirks, Unset):
            quirks = UNSET
        else:
            quirks = TrunkQuirks.from_dict(_quirks)

        _media_mode = d.pop("media_mode", UNSET)
        media_mode: MediaMode | Unset
        if isinstance(_media_mode, Unset):
            media_mode = UNSET
        else:
            media_mode = MediaMode(_media_mode)

        _recording = d.pop("recording", UNSET)
        recording: RecordingMode | Unset
        if isinstance(_recording, Unset):
            recording = UNSET
        else:
            recording = RecordingMode(_recording)

        trunk_patch = cls(
            name=name,
            host=host,
            port=port,
            transport=transport,
            register=register,
            username=username,
            auth_username=auth_username,
            password=password,
            realm=realm,
            expires_s=expires_s,
            outbound_proxy=outbound_proxy,
            inbound_match=inbound_match,
            inbound_destination=inbound_destination,
            caller_id=caller_id,
            keepalive_s=keepalive_s,
            max_calls=max_calls,
            enabled=enabled,
            quirks=quirks,
            media_mode=media_mode,
            recording=recording,
        )

        trunk_patch.additional_properties = d
        return trunk_patch

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
