package dev.skiff.orchestrator.adapter.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The addresses a webhook notification must not reach when the orchestrator runs inside a VPC: a job's owner picks the
 * URL, and the orchestrator's network position (the instance metadata endpoint, the VPC's private services, its own
 * API on loopback) is not theirs to use.
 */
final class PrivateAddresses {

    private PrivateAddresses() {
    }

    /** Why the address is refused, or empty when it is a public one. */
    static Optional<String> refusal(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("the unspecified address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address (169.254.0.0/16 or fe80::/10, where the instance metadata endpoint is)");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("a private address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            if (first == 0) {
                return Optional.of("an address of this network (0.0.0.0/8)");
            }
            if (first == 100 && second >= 64 && second < 128) {
                return Optional.of("a shared address (100.64.0.0/10, carrier-grade NAT)");
            }
            return Optional.empty();
        }
        if ((bytes[0] & 0xfe) == 0xfc) {
            return Optional.of("a unique-local address (fc00::/7, where fd00:ec2::254, the IPv6 metadata endpoint, is)");
        }
        return embeddedIpv4((Inet6Address) address).flatMap(PrivateAddresses::refusal)
                .map(reason -> "an IPv6 address carrying " + reason);
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address. */
    private static Optional<InetAddress> embeddedIpv4(Inet6Address address) {
        byte[] bytes = address.getAddress();
        byte[] nat64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
        boolean compatible = address.isIPv4CompatibleAddress();
        if (!compatible && !Arrays.equals(Arrays.copyOf(bytes, 12), nat64)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
        } catch (UnknownHostException e) {
            return Optional.empty(); // four bytes are always an address
        }
    }
}
