package io.vcc.server.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object from the API as pages read it: the API leaves out null fields, and a page's {@code ${vdc.usage}}
 * must read such a field as null (as it would on the record the API wrote), not fail for want of the key.
 */
final class JsonObject extends LinkedHashMap<String, Object> {

    /** Every key "is there": absent ones are null. Only for the expression language's property access. */
    @Override
    public boolean containsKey(Object key) {
        return true;
    }

    /** The parsed JSON with every object a {@link JsonObject}, lists and values as they are. */
    static Object wrap(Object json) {
        if (json instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((key, value) -> object.put(String.valueOf(key), wrap(value)));
            return object;
        }
        if (json instanceof List<?> list) {
            return list.stream().map(JsonObject::wrap).toList();
        }
        return json;
    }
}
