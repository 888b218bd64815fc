package io.vcc.ovf;

/**
 * The identifying part of a {@code ProductSection}; every field is optional ({@code null}).
 */
public record ProductInfo(String product, String vendor, String version, String fullVersion, String productUrl,
                          String vendorUrl) {

    public static ProductInfo of(String product, String vendor, String version) {
        return new ProductInfo(product, vendor, version, null, null, null);
    }

    boolean isEmpty() {
        return product == null && vendor == null && version == null && fullVersion == null && productUrl == null
                && vendorUrl == null;
    }
}
