package dev.sentinel.contracts.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdsTest {

    @Test
    void keepsASafeCallerId() {
        assertEquals("req-42.a_b:c", RequestIds.accept("req-42.a_b:c"));
    }

    @Test
    void replacesMissingUnsafeOrHugeIds() {
        for (String bad : new String[] {null, "", "a b", "x\r\nSet-Cookie: y", "<script>", "a".repeat(129)}) {
            String id = RequestIds.accept(bad);
            assertNotEquals(bad, id);
            assertTrue(id.matches("[0-9a-f-]{36}"), id);
        }
    }
}
