/**
 * OVF packages (DMTF DSP0243, OVF 1.x and 2.x): the descriptor model, its reader and writer, manifests,
 * certificates, OVA archives and package verification.
 *
 * <p>Everything that reads bytes treats them as hostile: XML without DTDs or external entities, archive
 * members without links or path traversal, every size bounded by {@link io.vcc.ovf.OvfLimits}, and
 * every refusal is an {@link io.vcc.ovf.OvfException} with a stable
 * {@link io.vcc.ovf.OvfException.Reason}. No Spring, no JPA: plain JDK plus commons-compress.
 */
package io.vcc.ovf;
