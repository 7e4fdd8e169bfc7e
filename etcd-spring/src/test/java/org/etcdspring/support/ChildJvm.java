package org.etcdspring.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM that a test starts on its own class path to run a small main class, talks to over
 * stdin/stdout (commands in, state lines out), and pauses with {@code SIGSTOP} and
 * resumes with {@code SIGCONT}: the fault of an application process that stops (a GC
 * pause, a stalled VM) while etcd and everyone else go on.
 */
public final class ChildJvm implements AutoCloseable {

	private final Process process;

	private final Writer stdin;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private ChildJvm(Process process) {
		this.process = process;
		this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
		Thread reader = new Thread(this::readLines, "child-jvm-" + process.pid() + "-stdout");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Start {@code mainClass} in a new JVM with the test's class path.
	 * @param mainClass the class whose {@code main} runs
	 * @param args its arguments
	 * @return the running child
	 * @throws IOException when the JVM cannot start
	 */
	public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-XX:+UseSerialGC");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass.getName());
		command.addAll(List.of(args));
		return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
	}

	private void readLines() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// The child ended.
		}
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * Every line the child printed so far (its log lines too).
	 */
	public List<String> lines() {
		return List.copyOf(this.lines);
	}

	/**
	 * The lines printed so far that start with a prefix.
	 */
	public List<String> lines(String prefix) {
		return this.lines.stream().filter((line) -> line.startsWith(prefix)).toList();
	}

	/**
	 * Wait for a line that starts with the prefix and is printed after the first
	 * {@code skip} such lines.
	 */
	public String awaitLine(String prefix, int skip, Duration timeout) throws InterruptedException {
		return awaitLine((line) -> line.startsWith(prefix), skip, timeout, prefix);
	}

	private String awaitLine(Predicate<String> matcher, int skip, Duration timeout, String description)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() - deadline < 0) {
			List<String> matching = this.lines.stream().filter(matcher).toList();
			if (matching.size() > skip) {
				return matching.get(skip);
			}
			if (!this.process.isAlive() && this.lines.stream().filter(matcher).count() <= skip) {
				throw new IllegalStateException("The child JVM ended (exit " + this.process.exitValue()
						+ ") before printing '" + description + "'; it printed:\n" + String.join("\n", this.lines));
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("The child JVM did not print '" + description + "' within " + timeout
				+ "; it printed:\n" + String.join("\n", this.lines));
	}

	/**
	 * Send one command line to the child.
	 */
	public void send(String command) throws IOException {
		this.stdin.write(command + "\n");
		this.stdin.flush();
	}

	/**
	 * Send a command and wait for the answer, the next line starting with the prefix.
	 */
	public String ask(String command, String answerPrefix, Duration timeout) throws IOException, InterruptedException {
		int seen = lines(answerPrefix).size();
		send(command);
		return awaitLine(answerPrefix, seen, timeout);
	}

	/**
	 * Pause the whole JVM: every thread stops, its sockets stay open.
	 */
	public void pause() throws IOException, InterruptedException {
		signal("STOP");
	}

	/**
	 * Resume a paused JVM.
	 */
	public void resume() throws IOException, InterruptedException {
		signal("CONT");
	}

	private void signal(String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid()))
			.redirectErrorStream(true)
			.start();
		if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IllegalStateException("kill -" + signal + " " + this.process.pid() + " failed");
		}
	}

	/**
	 * Resume (if paused) and kill the child, waiting for it to end.
	 */
	@Override
	public void close() throws Exception {
		if (this.process.isAlive()) {
			signal("CONT");
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

}
