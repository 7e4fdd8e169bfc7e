/**
 * Starts real {@code etcd} processes (a single member or a cluster) on free loopback
 * ports for tests, with a JUnit Jupiter extension that shares one server per test class.
 */
package org.etcdspring.test;
