from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.matched_by import MatchedBy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.resolved_target import ResolvedTarget
    from ..models.route import Route


T = TypeVar("T", bound="RouteResolution")


@_attrs_define
class RouteResolution:
    """
    Attributes:
        number (str):
        matched (bool):
        explanation (str): One sentence saying why.
        snapshot_version (int): The configuration snapshot the answer was computed from.
        matched_by (MatchedBy | Unset):
        route (Route | Unset): A dial-plan entry. The longest matching prefix wins; among equal prefixes the lowest
            `priority` wins.
        target (ResolvedTarget | Unset):
        dialed_number (str | Unset): The number sent to the target after the route's strip and prepend.
    """

    number: str
    matched: bool
    explanation: str
    snapshot_version: int
    matched_by: MatchedBy | Unset = UNSET
    route: Route | Unset = UNSET
    target: ResolvedTarget | Unset = UNSET
    dialed_number: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        matched = self.matched

        explanation = self.explanation

        snapshot_version = self.snapshot_version

        matched_by: str | Unset = UNSET
        if not isinstance(self.matched_by, Unset):
            matched_by = self.matched_by.value

        route: dict[str, Any] | Unset = UNSET
        if not isinstance(self.route, Unset):
            route = self.route.to_dict()

        target: dict[str, Any] | Unset = UNSET
        if not isinstance(self.target, Unset):
            target = self.target.to_dict()

        dialed_number = self.dialed_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "matched": matched,
                "explanation": explanation,
                "snapshot_version": snapshot_version,
            }
        )
        if matched_by is not UNSET:
            field_dict["matched_by"] = matched_by
        if route is not UNSET:
            field_dict["route"] = route
        if target is not UNSET:
            field_dict["target"] = target
        if dialed_number is not UNSET:
            field_dict["dialed_number"] = dialed_number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.resolved_target import ResolvedTarget  # noqa: PLC0415
        from ..models.route import Route  # noqa: PLC0415

        d = dict(src_dict)
        number = d.pop("number")

        matched = d.pop("matched")

        explanation = d.pop("explanation")

        snapshot_version = d.pop("snapshot_version")

        _matched_by = d.pop("matched_by", UNSET)
        matched_by: MatchedBy | Unset
        if isinstance(_matched_by, Unset):
            matched_by = UNSET
        else:
            matched_by = MatchedBy(_matched_by)

        _route = d.pop("route", UNSET)
        route: Route | Unset
        if isinstance(_route, Unset):
            route = UNSET
        else:
            route = Route.from_dict(_route)

        _target = d.pop("target", UNSET)
        target: ResolvedTarget | Unset
        if isinstance(_target, Unset):
            target = UNSET
        else:
            target = ResolvedTarget.from_dict(_target)

        dialed_number = d.pop("dialed_number", UNSET)

        route_resolution = cls(
            number=number,
            matched=matched,
            explanation=explanation,
            snapshot_version=snapshot_version,
            matched_by=matched_by,
            route=route,
            target=target,
            dialed_number=dialed_number,
        )

        route_resolution.additional_properties = d
        return route_resolution

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
