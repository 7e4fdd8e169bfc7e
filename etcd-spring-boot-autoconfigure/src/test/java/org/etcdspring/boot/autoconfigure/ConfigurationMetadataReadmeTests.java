package org.etcdspring.boot.autoconfigure;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every property of the README's "Configuration" table is in the configuration metadata
 * the starter ships (what an IDE completes), with a description and, where the README
 * gives a default, that default; and every {@code etcd.*} property of the metadata has a
 * row in the table.
 */
class ConfigurationMetadataReadmeTests {

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	@Test
	void everyPropertyOfTheReadmeTableShouldBeInTheMetadataWithItsDescriptionAndDefault() throws Exception {
		Map<String, String> table = readmeConfigurationTable();
		Map<String, JsonNode> metadata = metadataProperties();
		assertThat(table).as("properties in the README's Configuration table").isNotEmpty();
		List<String> problems = new ArrayList<>();
		table.forEach((name, readmeDefault) -> {
			JsonNode property = metadata.get(name);
			if (property == null) {
				problems.add("'" + name + "' is in the README's Configuration table but not in the configuration "
						+ "metadata: give its field Javadoc in EtcdProperties (or an entry in "
						+ "META-INF/additional-spring-configuration-metadata.json)");
				return;
			}
			if (!property.hasNonNull("description") || property.get("description").asString().isBlank()) {
				problems.add("'" + name + "' has no description in the configuration metadata");
			}
			String metadataDefault = defaultValue(property);
			if (readmeDefault.startsWith("`")) {
				String expected = CODE.matcher(readmeDefault).replaceAll("$1");
				if (!expected.equals(metadataDefault)) {
					problems.add("'" + name + "' defaults to " + expected + " in the README but to "
							+ ((metadataDefault != null) ? metadataDefault : "nothing")
							+ " in the configuration metadata");
				}
			}
			else if (metadataDefault != null) {
				problems.add("'" + name + "' has the default " + metadataDefault + " in the configuration metadata, "
						+ "but the README says " + readmeDefault + ": put it in the table as `" + metadataDefault
						+ "`");
			}
		});
		metadata.keySet()
			.stream()
			.filter((name) -> name.startsWith("etcd.") && !table.containsKey(name))
			.forEach((name) -> problems.add("'" + name + "' is in the configuration metadata but not in the README's "
					+ "Configuration table: add a row with its default and meaning"));
		assertThat(problems).as("README Configuration table against the configuration metadata").isEmpty();
	}

	/**
	 * The rows of the table under "## Configuration": property names (a row may name
	 * several) to the default column, a literal in backticks or words in parentheses for
	 * none or a computed one.
	 */
	private static Map<String, String> readmeConfigurationTable() throws IOException {
		List<String> lines = Files.readAllLines(projectRoot().resolve("README.md"));
		int section = lines.indexOf("## Configuration");
		assertThat(section).as("the README's '## Configuration' section").isNotNegative();
		Map<String, String> table = new LinkedHashMap<>();
		for (String line : lines.subList(section + 1, lines.size())) {
			if (line.startsWith("## ")) {
				break;
			}
			if (!line.startsWith("| `")) {
				continue;
			}
			String[] cells = line.split("\\|");
			String readmeDefault = cells[2].trim();
			Matcher names = CODE.matcher(cells[1]);
			while (names.find()) {
				table.put(names.group(1), readmeDefault);
			}
		}
		return table;
	}

	private static Map<String, JsonNode> metadataProperties() throws IOException, URISyntaxException {
		Path classes = Path.of(EtcdProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path file = classes.resolve("META-INF/spring-configuration-metadata.json");
		JsonNode root = JsonMapper.builder().build().readTree(file.toFile());
		return StreamSupport.stream(root.get("properties").spliterator(), false)
			.collect(Collectors.toMap((property) -> property.get("name").asString(), (property) -> property,
					(first, second) -> first, LinkedHashMap::new));
	}

	private static String defaultValue(JsonNode property) {
		JsonNode value = property.get("defaultValue");
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isArray()) {
			return StreamSupport.stream(value.spliterator(), false)
				.map(JsonNode::asString)
				.collect(Collectors.joining(","));
		}
		String text = value.asString();
		return text.isEmpty() ? null : text;
	}

	private static Path projectRoot() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null && !Files.exists(directory.resolve("README.md"))) {
			directory = directory.getParent();
		}
		assertThat(directory).as("a directory above the working directory holding README.md").isNotNull();
		return directory;
	}

}
