package io.vcc.api.node;

import java.util.List;

public record VappInfo(String id, String vdcId, String name, List<String> vmIds) {
}
