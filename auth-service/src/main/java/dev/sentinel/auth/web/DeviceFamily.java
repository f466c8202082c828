package dev.sentinel.auth.web;

import java.util.Locale;

/**
 * A coarse user-agent family ("Firefox on Linux") for session lists and new-device
 * detection. Version numbers are left out on purpose: a browser update is not a new device.
 */
public final class DeviceFamily {

    private DeviceFamily() {
    }

    public static String of(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "Unknown";
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        return browser(ua) + " on " + system(ua);
    }

    private static String browser(String ua) {
        if (ua.contains("edg/")) return "Edge";
        if (ua.contains("opr/") || ua.contains("opera")) return "Opera";
        if (ua.contains("firefox/")) return "Firefox";
        if (ua.contains("chrome/") || ua.contains("chromium/")) return "Chrome";
        if (ua.contains("safari/")) return "Safari";
        if (ua.startsWith("curl/")) return "curl";
        if (ua.contains("okhttp") || ua.contains("java") || ua.contains("python") || ua.contains("go-http")) return "HTTP client";
        return "Other";
    }

    private static String system(String ua) {
        if (ua.contains("android")) return "Android";
        if (ua.contains("iphone") || ua.contains("ipad") || ua.contains("ios")) return "iOS";
        if (ua.contains("windows")) return "Windows";
        if (ua.contains("mac os") || ua.contains("macintosh")) return "macOS";
        if (ua.contains("linux")) return "Linux";
        return "Other";
    }
}
