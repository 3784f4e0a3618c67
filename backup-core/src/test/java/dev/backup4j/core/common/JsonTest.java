package dev.backup4j.core.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hand-rolled tree reader and writer in {@link Json} against Jackson's ObjectMapper. */
class JsonTest {
    private static final ObjectMapper ORACLE = new ObjectMapper();

    @Test
    void readsAndWritesLikeObjectMapper() throws Exception {
        String[] docs = {"{}", "[]", "null", "\"x\"", "{\"a\":[1,-2,3000000000,123456789012345678901234567890,1.5,-0.25e-3,"
            + "true,false,null,\"\\u00e9\\ud83d\\ude00\\n\"],\"b\":{\"c\":{}},\"d\":[]}",
            "{\"time\":\"2022-01-01T00:00:00Z\",\"tree\":\"" + "ab".repeat(32) + "\",\"paths\":[\"/x\"],\"uid\":0}"};
        for (String d : docs) {
            byte[] bytes = d.getBytes(StandardCharsets.UTF_8);
            JsonNode ours = Json.parse(bytes, "doc");
            assertEquals(ORACLE.readTree(bytes), ours, d);
            assertEquals(ORACLE.writeValueAsString(ORACLE.readTree(bytes)), Json.toString(ours), d);
        }
    }

    @Test
    void refusesBrokenDocuments() {
        for (String d : new String[] {"", "{", "{\"a\":}", "[1,]", "{} {}", "{\"a\":1}x"}) {
            CorruptDataException e = assertThrows(CorruptDataException.class,
                    () -> Json.parse(d.getBytes(StandardCharsets.UTF_8), "snapshot 12"), d);
            assertEquals(true, e.getMessage().startsWith("snapshot 12: "), e.getMessage());
        }
    }
}
