package io.vcc.ovf;

/** XML namespaces of OVF descriptors. */
final class OvfNamespaces {

    static final String OVF_1 = "http://schemas.dmtf.org/ovf/envelope/1";
    static final String OVF_2 = "http://schemas.dmtf.org/ovf/envelope/2";
    /** OVF 0.9, what VMware tools wrote before the DMTF standard. */
    static final String OVF_0_9 = "http://www.vmware.com/schema/ovf/1/envelope";
    static final String RASD = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData";
    static final String VSSD = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData";
    static final String VMW = "http://www.vmware.com/schema/ovf";
    static final String VBOX = "http://www.virtualbox.org/ovf/machine";

    private OvfNamespaces() {
    }
}
