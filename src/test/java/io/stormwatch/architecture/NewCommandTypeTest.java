package io.stormwatch.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adds a throwaway command type to a copy of the sources and compiles them with javac: forgetting to decide it, or
 * to say which streams it touches, is a compile error at the switch that must change, and nowhere else; deciding it
 * is all a station command needs (its record, and its case in the domain).
 */
class NewCommandTypeTest {

    private static final Path MAIN = Path.of("src/main/java/io/stormwatch");
    /** The files that route a command: the record, the deciding domain, the service, the permission check. */
    private static final List<String> ROUTE = List.of("api/Command.java", "domain/Stations.java",
            "domain/AlertRules.java", "command/CommandService.java", "command/BatchExecution.java",
            "command/Permissions.java");

    @TempDir
    Path work;

    @Test
    void aStationCommandNobodyDecidesDoesNotCompile() throws IOException {
        List<String> errors = compile(withCommand("StationCommand", STATION_RECORD), null);

        assertThat(errors).singleElement().satisfies(error -> assertThat(error)
                .startsWith("Stations.java").contains("does not cover all possible input values"));
    }

    @Test
    void decidingItInTheDomainIsAllItTakes() throws IOException {
        String decided = read("domain/Stations.java").replace(
                "            case RecordObservations batch ->",
                "            case io.stormwatch.api.Command.ReportOutage outage -> Decision.reject(\"not yet\");\n"
                        + "            case RecordObservations batch ->");

        assertThat(compile(withCommand("StationCommand", STATION_RECORD), decided)).isEmpty();
    }

    @Test
    void anAlertCommandNobodyDecidesDoesNotCompile() throws IOException {
        List<String> errors = compile(withCommand("AlertCommand", ALERT_RECORD), null);

        assertThat(errors).singleElement().satisfies(error -> assertThat(error)
                .startsWith("AlertRules.java").contains("does not cover all possible input values"));
    }

    @Test
    void aCommandOfANewKindStopsAtEverySwitchThatRoutesCommands() throws IOException {
        String command = read("api/Command.java")
                .replace("sealed interface AlertCommand extends Command {",
                        "record Ping(String commandId) implements Command {\n"
                                + "        public String action() { return \"ping\"; }\n    }\n\n"
                                + "    sealed interface AlertCommand extends Command {");

        List<String> errors = compile(command, null);

        // The streams a command touches (CommandService), deciding it (BatchExecution), who may send it (Permissions).
        assertThat(errors).hasSize(3).allSatisfy(error -> assertThat(error)
                .contains("does not cover all possible input values"));
        assertThat(errors).extracting(error -> error.substring(0, error.indexOf(':')))
                .containsExactlyInAnyOrder("CommandService.java", "BatchExecution.java", "Permissions.java");
    }

    private static final String STATION_RECORD = """
                record ReportOutage(String commandId, String stationId) implements StationCommand {
                    public List<String> stationIds() { return List.of(stationId); }
                    public String action() { return "report an outage for"; }
                }
            """;

    private static final String ALERT_RECORD = """
                record EscalateAlert(String commandId, String alertId) implements AlertCommand {
                    public String streamId() { return Event.alertStream(alertId); }
                    public String action() { return "escalate alerts"; }
                }
            """;

    /** Command.java with {@code record} added beside the other commands. */
    private static String withCommand(String kind, String record) throws IOException {
        String source = read("api/Command.java");
        String anchor = "    sealed interface " + kind + " extends Command {";
        assertThat(source).contains(anchor);
        return source.replace(anchor, record + "\n" + anchor);
    }

    /** Compiles the route with the given Command.java (and Stations.java, when given); the errors, file first. */
    private List<String> compile(String command, String stations) throws IOException {
        List<File> files = new ArrayList<>();
        for (String file : ROUTE) {
            String text = file.equals("api/Command.java") ? command
                    : file.equals("domain/Stations.java") && stations != null ? stations : read(file);
            Path copy = work.resolve("src").resolve(file);
            Files.createDirectories(copy.getParent());
            files.add(Files.writeString(copy, text).toFile());
        }
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            // Flow analysis (where exhaustiveness is checked) runs for every file, not only up to the first in error.
        List<String> options = List.of("-proc:none", "--release", "21", "-XDshould-stop.ifError=FLOW", "-d", classes.toString(),
                    "-classpath", classPath());
            javac.getTask(null, manager, diagnostics, options, null, manager.getJavaFileObjectsFromFiles(files))
                    .call();
        }
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> Path.of(d.getSource().getName()).getFileName() + ":" + d.getLineNumber() + ": "
                        + d.getMessage(Locale.ROOT))
                .toList();
    }

    private static String read(String file) throws IOException {
        return Files.readString(MAIN.resolve(file));
    }

    /** Surefire's test class path (its own java.class.path may be a manifest-only jar). */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
