package org.etcdspring.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EtcdBinary}.
 *
 * @author etcd-spring
 */
class EtcdBinaryTests {

	@TempDir
	Path temp;

	@Test
	void locateShouldPreferEtcdBinEnvironmentVariable() throws IOException {
		Path fromEnvironment = executable("env/etcd");
		Path fromProperty = executable("property/etcd");
		Path found = EtcdBinary.locate(Map.of("ETCD_BIN", fromEnvironment.toString(), "PATH", "/usr/bin")::get,
				Map.of("etcd.bin", fromProperty.toString())::get, this.temp.resolve("missing"));
		assertThat(found).isEqualTo(fromEnvironment);
	}

	@Test
	void locateShouldUseSystemPropertyWithoutEnvironmentVariable() throws IOException {
		Path fromProperty = executable("property/etcd");
		Path found = EtcdBinary.locate(Map.of("PATH", "/usr/bin")::get,
				Map.of("etcd.bin", fromProperty.toString())::get, this.temp.resolve("missing"));
		assertThat(found).isEqualTo(fromProperty);
	}

	@Test
	void locateShouldSearchPath() throws IOException {
		Path onPath = executable("second/etcd");
		Files.createDirectories(this.temp.resolve("first"));
		String path = this.temp.resolve("first") + ":" + onPath.getParent();
		Path found = EtcdBinary.locate(Map.of("PATH", path)::get, Map.<String, String>of()::get,
				this.temp.resolve("missing"));
		assertThat(found).isEqualTo(onPath);
	}

	@Test
	void locateShouldFallBackToUsrBin() throws IOException {
		Path fallback = executable("usr/bin/etcd");
		Path found = EtcdBinary.locate(Map.of("PATH", this.temp.toString())::get, Map.<String, String>of()::get,
				fallback);
		assertThat(found).isEqualTo(fallback);
	}

	@Test
	void locateShouldFailWithInstallHintWhenNothingIsFound() {
		assertThatIllegalStateException()
			.isThrownBy(() -> EtcdBinary.locate(Map.of("PATH", this.temp.toString())::get,
					Map.<String, String>of()::get, this.temp.resolve("missing")))
			.withMessage("etcd binary not found (looked at ETCD_BIN, PATH). Install it: apt-get install -y "
					+ "etcd-server etcd-client (Debian), or set ETCD_BIN to an etcd 3.4+ executable.");
	}

	@Test
	void locateShouldRejectEtcdBinThatIsNotExecutable() {
		String missing = this.temp.resolve("nope").toString();
		assertThatIllegalStateException()
			.isThrownBy(() -> EtcdBinary.locate(Map.of("ETCD_BIN", missing, "PATH", "/usr/bin")::get,
					Map.<String, String>of()::get, Path.of("/usr/bin/etcd")))
			.withMessage("ETCD_BIN points to '" + missing + "', which is not an executable file");
	}

	private Path executable(String name) throws IOException {
		Path file = this.temp.resolve(name);
		Files.createDirectories(file.getParent());
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		return file;
	}

}
