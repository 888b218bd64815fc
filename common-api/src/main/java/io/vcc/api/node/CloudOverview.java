package io.vcc.api.node;

import java.util.List;

/** The cloud-level view an SP node gives: every organization, its usage, and the capacity. */
public record CloudOverview(String cloudName, CloudCapacity capacity, List<OrganizationUsage> organizations) {
}
