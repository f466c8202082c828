package dev.sentinel.contracts.problem;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.RestQuery;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code ?limit=abc} is a 400 {@code VAL_INVALID_TYPE} naming {@code limit}, not JAX-RS's bare
 * 404: the mapper finds the parameters whose values do not convert. A path value that does not
 * convert is left alone (it names nothing: 404), and so are values that do convert.
 */
class QueryParameterTypesTest {

    enum Status { ACTIVE, LOCKED }

    @SuppressWarnings("unused")
    static class Resource {
        public void list(@QueryParam("limit") int limit, @QueryParam("count") Boolean count,
                @QueryParam("status") List<Status> status, @QueryParam("since") Instant since,
                @QueryParam("owner") UUID owner, @QueryParam("query") String query, @RestQuery("size") Optional<Long> size,
                @PathParam("id") UUID id) {
        }
    }

    private static final Method LIST = find();

    @Test
    void aQueryValueOfTheWrongTypeIsNamed() {
        assertEquals(List.of(new Problem.FieldError("limit", "has the wrong type")),
                QueryParameterTypes.wrong(LIST, Map.of("limit", List.of("abc"))));
        assertEquals(List.of("limit", "status", "since", "owner", "size"),
                QueryParameterTypes.wrong(LIST, Map.of("limit", List.of("9999999999"), "status", List.of("ACTIVE", "HAPPY"),
                        "since", List.of("yesterday"), "owner", List.of("not-a-uuid"), "size", List.of("1e3")))
                        .stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void valuesThatConvertAndPathValuesAreLeftAlone() {
        assertEquals(List.of(), QueryParameterTypes.wrong(LIST, Map.of("limit", List.of("-5"), "count", List.of("maybe"),
                "status", List.of("LOCKED"), "since", List.of("2026-11-30T12:00:00Z"),
                "owner", List.of(UUID.randomUUID().toString()), "query", List.of("\u0000'; drop table x"),
                "size", List.of("12"), "id", List.of("not-a-uuid"))));
        assertEquals(List.of(), QueryParameterTypes.wrong(LIST, Map.of()));
        assertEquals(List.of(), QueryParameterTypes.wrong(null, Map.of("limit", List.of("abc"))));
    }

    private static Method find() {
        for (Method method : Resource.class.getMethods()) {
            if (method.getName().equals("list")) {
                return method;
            }
        }
        throw new AssertionError("no list method");
    }
}
