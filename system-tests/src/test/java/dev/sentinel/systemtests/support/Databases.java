package dev.sentinel.systemtests.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's own PostgreSQL databases (one per service, see {@link Service#database()}) on the
 * local server ({@code deploy/local/sentinel infra}: 127.0.0.1:5432, user postgres, trust).
 */
public final class Databases {

    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String USER = "postgres";

    private Databases() {
    }

    /**
     * Drops (closing any connection left by an earlier run) and creates every service's database,
     * so each run starts from empty schemas and the services' Flyway migrates from scratch.
     */
    static void recreate(Service... services) {
        try (Connection admin = connect("postgres"); Statement sql = admin.createStatement()) {
            for (Service service : services) {
                // Fixed names from the enum, never input: safe to splice into DDL.
                sql.execute("DROP DATABASE IF EXISTS \"" + service.database() + "\" WITH (FORCE)");
                sql.execute("CREATE DATABASE \"" + service.database() + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not recreate the system-test databases on " + HOST + ":" + PORT
                    + " (is 'deploy/local/sentinel infra' up?)", e);
        }
    }

    /** Rows of a query against a service's database, each as column → value; for checks that no API shows. */
    public static List<Map<String, Object>> query(Service service, String sql, Object... params) {
        return query(service.database(), sql, params);
    }

    /** Rows of a query against any database of the local PostgreSQL (e.g. a restored backup). */
    public static List<Map<String, Object>> query(String database, String sql, Object... params) {
        try (Connection connection = connect(database);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                        row.put(result.getMetaData().getColumnLabel(c), result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Query on " + database + " failed: " + sql, e);
        }
    }

    /** Creates an empty database of a test's own, dropping any earlier one of that name. */
    public static void createEmpty(String database) {
        if (!database.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a database name of ours: " + database);
        }
        try (Connection admin = connect("postgres"); Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            sql.execute("CREATE DATABASE \"" + database + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create " + database, e);
        }
    }

    /** Drops these databases if they exist, closing their connections (a test's scratch copies). */
    public static void drop(String... databases) {
        try (Connection admin = connect("postgres"); Statement sql = admin.createStatement()) {
            for (String database : databases) {
                if (!database.matches("[a-z0-9_]+")) {
                    throw new IllegalArgumentException("not a database name of ours: " + database);
                }
                sql.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop " + String.join(", ", databases), e);
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, USER, "");
    }
}
