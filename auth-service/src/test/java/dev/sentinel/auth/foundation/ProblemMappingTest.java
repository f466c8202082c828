package dev.sentinel.auth.foundation;

import dev.sentinel.auth.support.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Bad input of every kind is a 4xx problem+json with our code and a trace id; never a 500. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class ProblemMappingTest {

    private static final String ECHO = "/test-probe/echo";
    private static final String TYPED = "/test-probe/typed";

    @Test
    void validBodyPasses() {
        given().contentType(ContentType.JSON).body("{\"email\":\"a@example.com\",\"count\":2,\"name\":\"x\"}")
                .when().post(ECHO).then().statusCode(200).body("count", equalTo(2));
    }

    @Test
    void malformedJsonIs400() {
        given().contentType(ContentType.JSON).body("{\"email\": \"a@example.com\", ")
                .when().post(ECHO)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VAL_MALFORMED_BODY"))
                .body("traceId", notNullValue());
    }

    @Test
    void wrongTypeNamesTheField() {
        given().contentType(ContentType.JSON).body("{\"email\":\"a@example.com\",\"count\":\"many\",\"name\":\"x\"}")
                .when().post(ECHO)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VAL_INVALID_TYPE"))
                .body("errors.field", hasItem("count"));
    }

    @Test
    void aHeaderOfTheWrongTypeIsNamedLikeAQueryParameter() {
        String uuid = java.util.UUID.randomUUID().toString();
        given().header("X-Count", "7").header("X-Ref", uuid).queryParam("limit", "3").get(TYPED)
                .then().statusCode(200).body("count", equalTo("7")).body("ref", equalTo(uuid)).body("limit", equalTo("3"));
        given().get(TYPED).then().statusCode(200).body("count", equalTo("null"));
        given().header("X-Count", "many").get(TYPED)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VAL_INVALID_TYPE")).body("detail", containsString("X-Count"))
                .body("errors.field", contains("X-Count"));
        given().header("X-Count", "1").header("X-Ref", "not-a-uuid").get(TYPED)
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_TYPE")).body("errors.field", contains("X-Ref"));
        given().header("X-Count", "99999999999").header("X-Ref", "nope").get(TYPED)
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_TYPE"))
                .body("errors.field", contains("X-Count", "X-Ref"));
        given().queryParam("limit", "abc").get(TYPED)
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_TYPE")).body("errors.field", contains("limit"));
    }

    @Test
    void missingAndInvalidFieldsAreListed() {
        given().contentType(ContentType.JSON).body("{\"email\":\"not-an-email\",\"count\":0}")
                .when().post(ECHO)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VAL_INVALID_FIELDS"))
                .body("errors.field", hasItem("email"))
                .body("errors.field", hasItem("count"))
                .body("errors.field", hasItem("name"));
    }

    @Test
    void emptyBodyIs400() {
        given().contentType(ContentType.JSON).when().post(ECHO)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", notNullValue());
    }

    @Test
    void hugeBodyIs413() {
        String big = "{\"email\":\"a@example.com\",\"count\":1,\"name\":\"" + "x".repeat(100 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(big)
                .when().post(ECHO)
                .then().statusCode(413).contentType("application/problem+json")
                .body("code", equalTo("VAL_BODY_TOO_LARGE"));
    }

    @Test
    void invalidUtf8Is400() {
        byte[] body = {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
        given().contentType("application/json; charset=UTF-8").body(body)
                .when().post(ECHO)
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void injectionStringsAreJustInvalidInput() {
        given().contentType(ContentType.JSON)
                .body("{\"email\":\"' OR 1=1; DROP TABLE outbox; --\",\"count\":1,\"name\":\"<script>\"}")
                .when().post(ECHO)
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
    }

    @Test
    void wrongMediaTypeIs415AndWrongMethodIs405() {
        given().contentType(ContentType.TEXT).body("hello").when().post(ECHO)
                .then().statusCode(415).contentType("application/problem+json")
                .body("code", equalTo("VAL_UNSUPPORTED_MEDIA_TYPE"));
        given().when().delete(ECHO)
                .then().statusCode(405).contentType("application/problem+json")
                .body("code", equalTo("SYS_METHOD_NOT_ALLOWED"));
    }

    @Test
    void arabicWhenAskedFor() {
        given().contentType(ContentType.JSON).header("Accept-Language", "ar").body("{")
                .when().post(ECHO)
                .then().statusCode(400)
                .body("title", equalTo("تعذرت قراءة محتوى الطلب."));
    }

    @Test
    void unexpectedErrorIsAGeneric500WithoutInternals() {
        given().when().get("/test-probe/boom")
                .then().statusCode(500).contentType("application/problem+json")
                .body("code", equalTo("SYS_INTERNAL"))
                .body("traceId", notNullValue())
                .body(not(containsString("internal detail")))
                .body(not(containsString("IllegalStateException")));
    }
}
