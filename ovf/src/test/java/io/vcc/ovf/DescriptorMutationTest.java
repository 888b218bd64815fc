package io.vcc.ovf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged descriptors (each line dropped in turn, each attribute dropped or garbled in turn) are either read
 * or refused with an {@link OvfException}: never a NullPointerException or another crash the server would
 * turn into a 500.
 */
class DescriptorMutationTest {

    private static final Pattern ATTRIBUTE = Pattern.compile("\\s[\\w:]+=\"[^\"]*\"");

    private final OvfDescriptorReader reader = new OvfDescriptorReader();

    @ParameterizedTest
    @ValueSource(strings = {"vmware/web01.ovf", "virtualbox/debian12.ovf", "vendor/acme-suite.ovf"})
    void everyDamagedVariantIsReadOrRefusedWithAReason(String fixture) {
        String original = new String(OvfSamples.resource(fixture), StandardCharsets.UTF_8);
        List<String> variants = new ArrayList<>();
        String[] lines = original.split("\n");
        for (int i = 0; i < lines.length; i++) {
            List<String> kept = new ArrayList<>(List.of(lines));
            kept.remove(i);
            variants.add(String.join("\n", kept));
        }
        Matcher attribute = ATTRIBUTE.matcher(original);
        while (attribute.find()) {
            String before = original.substring(0, attribute.start());
            String after = original.substring(attribute.end());
            variants.add(before + after);
            String name = attribute.group().substring(0, attribute.group().indexOf('='));
            variants.add(before + name + "=\"-1x\"" + after);
        }

        int refused = 0;
        for (String variant : variants) {
            try {
                reader.read(variant.getBytes(StandardCharsets.UTF_8));
            } catch (OvfException expected) {
                refused++;
            }
        }

        assertThat(variants).hasSizeGreaterThan(100);
        assertThat(refused).isPositive().isLessThan(variants.size());
    }
}
