from __future__ import annotations

import datetime
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


T = TypeVar("T", bound="Trunk")


@_attrs_define
class Trunk:
    """
    Attributes:
        id (str):
        name (str): Unique name, e.g. `carrier-a` or `office-b`.
        host (str): A host name or IP address.
        register (bool): `true`: an external line that registers to the carrier; `false`: a peer trunk.
        has_password (bool):
        expires_s (int):
        inbound_match (InboundMatchInboundByRegistration | InboundMatchInboundBySource | InboundMatchInboundByToUser):
            How Callplane recognises calls arriving from this trunk.
        caller_id (CallerId): Caller identity presented on outbound calls through this trunk.
        media_mode (MediaMode): `auto`: through the media relay when a party is behind NAT or the call crosses a
            trunk; `relay`: always through the relay; `direct`: not through the relay (endpoints
            send RTP to each other) unless a party has `recording: always`.
        recording (RecordingMode): When an extension's or trunk's calls are recorded (relayed calls only; `always` puts
            the
            call through the relay).
        enabled (bool):
        quirks (TrunkQuirks): Per-trunk interoperability switches; each cures a symptom of a real carrier
            (docs/trunks.md).
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        port (int | Unset): Absent: the carrier's DNS names the port (SRV, RFC 3263), else 5060 (5061 for TLS).
        transport (Transport | Unset):
        username (str | Unset):
        auth_username (str | Unset): Digest user name when it differs from `username`.
        realm (str | Unset):
        outbound_proxy (str | Unset): `host[:port]` to send requests through instead of `host`.
        inbound_destination (str | Unset): Number that inbound calls go to when the called number has no route.
        keepalive_s (int | Unset): OPTIONS keep-alive interval; absent disables it.
        max_calls (int | Unset): Concurrent calls through this trunk (both directions), at most; absent: no limit.
            Beyond it an outgoing call tries the next route, an incoming one gets 503.
    """

    id: str
    name: str
    host: str
    register: bool
    has_password: bool
    expires_s: int
    inbound_match: InboundMatchInboundByRegistration | InboundMatchInboundBySource | InboundMatchInboundByToUser
    caller_id: CallerId
    media_mode: MediaMode
    recording: RecordingMode
    enabled: bool
    quirks: TrunkQuirks
    created_at: datetime.datetime
    updated_at: datetime.datetime
    port: int | Unset = UNSET
    transport: Transport | Unset = UNSET
    username: str | Unset = UNSET
    auth_username: str | Unset = UNSET
    realm: str | Unset = UNSET
    outbound_proxy: str | Unset = UNSET
    inbound_destination: str | Unset = UNSET
    keepalive_s: int | Unset = UNSET
    max_calls: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.inbound_match_inbound_by_registration import InboundMatchInboundByRegistration  # noqa: PLC0415
        from ..models.inbound_match_inbound_by_source import InboundMatchInboundBySource  # noqa: PLC0415

        id = self.id

        name = self.name

        host = self.host

        register = self.register

        has_password = self.has_password

        expires_s = self.expires_s

        inbound_match: dict[str, Any]
        if isinstance(self.inbound_match, InboundMatchInboundBySource):
            inbound_match = self.inbound_match.to_dict()
        elif isinstance(self.inbound_match, InboundMatchInboundByRegistration):
            inbound_match = self.inbound_match.to_dict()
        else:
            inbound_match = self.inbound_match.to_dict()

        caller_id = self.caller_id.to_dict()

        media_mode = self.media_mode.value

        recording = self.recording.value

        enabled = self.enabled

        quirks = self.quirks.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        port = self.port

        transport: str | Unset = UNSET
        if not isinstance(self.transport, Unset):
            transport = self.transport.value

        username = self.username

        auth_username = self.auth_username

        realm = self.realm

        outbound_proxy = self.outbound_proxy

        inbound_destination = self.inbound_destination

        keepalive_s = self.keepalive_s

        max_calls = self.max_calls

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "host": host,
                "register": register,
                "has_password": has_password,
                "expires_s": expires_s,
                "inbound_match": inbound_match,
                "caller_id": caller_id,
                "media_mode": media_mode,
                "recording": recording,
                "enabled": enabled,
                "quirks": quirks,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if port is not UNSET:
            field_dict["port"] = port
        if transport is not UNSET:
            field_dict["transport"] = transport
        if username is not UNSET:
            field_dict["username"] = username
        if auth_username is not UNSET:
            field_dict["auth_username"] = auth_username
        if realm is not UNSET:
            field_dict["realm"] = realm
        if outbound_proxy is not UNSET:
            field_dict["outbound_proxy"] = outbound_proxy
        if inbound_destination is not UNSET:
            field_dict["inbound_destination"] = inbound_destination
        if keepalive_s is not UNSET:
            field_dict["keepalive_s"] = keepalive_s
        if max_calls is not UNSET:
            field_dict["max_calls"] = max_calls

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.caller_id import CallerId  # noqa: PLC0415
        from ..models.inbound_match_inbound_by_registration import InboundMatchInboundByRegistration  # noqa: PLC0415
        from ..models.inbound_match_inbound_by_source import InboundMatchInboundBySource  # noqa: PLC0415
        from ..models.inbound_match_inbound_by_to_user import InboundMatchInboundByToUser  # noqa: PLC0415
        from ..models.trunk_quirks import TrunkQuirks  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        host = d.pop("host")

        register = d.pop("register")

        has_password = d.pop("has_password")

        expires_s = d.pop("expires_s")

        def _parse_inbound_match(
            data: object,
        ) -> InboundMatchInboundByRegistration | InboundMatchInboundBySource | InboundMatchInboundByToUser:
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

        inbound_match = _parse_inbound_match(d.pop("inbound_match"))

        caller_id = CallerId.from_dict(d.pop("caller_id"))

        media_mode = MediaMode(d.pop("media_mode"))

        recording = RecordingMode(d.pop("recording"))

        enabled = d.pop("enabled")

        quirks = TrunkQuirks.from_dict(d.pop("quirks"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        port = d.pop("port", UNSET)

        _transport = d.pop("transport", UNSET)
        transport: Transport | Unset
        if isinstance(_transport, Unset):
            transport = UNSET
        else:
            transport = Transport(_transport)

        username = d.pop("username", UNSET)

        auth_username = d.pop("auth_username", UNSET)

        realm = d.pop("realm", UNSET)

        outbound_proxy = d.pop("outbound_proxy", UNSET)

        inbound_destination = d.pop("inbound_destination", UNSET)

        keepalive_s = d.pop("keepalive_s", UNSET)

        max_calls = d.pop("max_calls", UNSET)

        trunk = cls(
            id=id,
            name=name,
            host=host,
            register=register,
            has_password=has_password,
            expires_s=expires_s,
            inbound_match=inbound_match,
            caller_id=caller_id,
            media_mode=media_mode,
            recording=recording,
            enabled=enabled,
            quirks=quirks,
            created_at=created_at,
            updated_at=updated_at,
            port=port,
            transport=transport,
            username=username,
            auth_username=auth_username,
            realm=realm,
            outbound_proxy=outbound_proxy,
            inbound_destination=inbound_destination,
            keepalive_s=keepalive_s,
            max_calls=max_calls,
        )

        trunk.additional_properties = d
        return trunk

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
