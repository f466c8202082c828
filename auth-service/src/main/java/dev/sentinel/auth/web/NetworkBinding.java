package dev.sentinel.auth.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The network a client address belongs to, for binding refresh tokens and spotting new
 * devices: IPv4 /24, IPv6 /64 (a home or office network, stable across DHCP renewals).
 */
public final class NetworkBinding {

    private NetworkBinding() {
    }

    public static String networkOf(String ip) {
        try {
            // Literal addresses only: never a DNS lookup.
            if (ip == null || ip.isBlank() || !(ip.indexOf(':') >= 0 || ip.matches("[0-9.]+"))) {
                return "unknown";
            }
            byte[] address = InetAddress.getByName(ip).getAddress();
            if (address.length == 4) {
                return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + ".0/24";
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
