# tailnas: `make run` starts the dashboard on a real search, `make test` is what CI runs.
SWIFT ?= swift
SWIFT_FORMAT_PATHS = Package.swift Sources Tests

# Build for this machine's instruction set when it has AVX2 and FMA (256-bit vectors, and TAILNAS_FMA makes
# the kernels' multiply-adds fused); the package itself stays portable x86-64.
# `make NATIVE=0 ...` forces the portable build.
NATIVE ?= $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && echo 1 || echo 0)
# With AVX-512 as well (`AVX512=0` to leave it out), the direct stem kernels use 16-lane vectors.
AVX512 ?= $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && grep -qw avx512vl /proc/cpuinfo && echo 1 || echo 0)
ifeq ($(NATIVE),1)
ifeq ($(AVX512),1)
ARCH_FLAGS = -Xswiftc -target-cpu -Xswiftc skylake-avx512 -Xswiftc -DTAILNAS_FMA -Xswiftc -DTAILNAS_AVX512
else
ARCH_FLAGS = -Xswiftc -target-cpu -Xswiftc haswell -Xswiftc -DTAILNAS_FMA
endif
endif

.PHONY: run test test-cluster deps build release lint format bench clean

deps:
	@bash scripts/install-deps.sh

release: deps
	$(SWIFT) build -c release $(ARCH_FLAGS)

build: deps
	$(SWIFT) build --build-tests

run: release
	.build/release/tailnas

lint:
	$(SWIFT) format lint --strict --recursive $(SWIFT_FORMAT_PATHS)

format:
	$(SWIFT) format --in-place --recursive $(SWIFT_FORMAT_PATHS)

# Tests run against the optimised build that ships (with testing enabled for @testable imports); the
# crash/resume and tmux tests drive the real binary; the TensorBoard test reads exports back with the
# `tensorboard` pip package, in a virtual environment cached under .build/; the MPI test builds tailnas with
# MPI (TAILNAS_MPI=1) in the test build's scratch path and flags (only the tailnas target is compiled again,
# and the plain one after the test), and runs it under mpirun.
TEST_FLAGS = -c release -Xswiftc -enable-testing $(ARCH_FLAGS)

test: deps lint
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(SWIFT) test $(TEST_FLAGS) --skip-build
	bash scripts/kill-resume-test.sh
	bash scripts/cli-test.sh
	bash scripts/tensorboard-test.sh
	bash scripts/fault-test.sh
	bash scripts/study-test.sh
	bash scripts/tmux-test.sh
	TAILNAS_BUILD_FLAGS="$(TEST_FLAGS)" bash scripts/mpi-test.sh
	bash scripts/slurm-test.sh

# The tests on a build whose preconditions and bounds checks hold (-O instead of -Ounchecked); its own
# scratch path, so it does not rebuild the shipped one.
test-checked: deps
	TAILNAS_CHECKED=1 $(SWIFT) build $(TEST_FLAGS) --scratch-path .build/checked --build-tests
	TAILNAS_CHECKED=1 $(SWIFT) test $(TEST_FLAGS) --scratch-path .build/checked --skip-build

# A single-node Slurm cluster on this machine (munged, slurmctld, slurmd; installs slurm-wlm and munge) runs a
# tiny study as the job array `tailnas study slurm` writes (about 30 s; also the last step of `make test`).
test-cluster: deps
	$(SWIFT) build $(TEST_FLAGS) --product tailnas
	bash scripts/slurm-test.sh

bench: release
	.build/release/tailnas bench

clean:
	rm -rf .build
