#include <mpi.h>
#include <stdint.h>

/* Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are macros over the addresses of global
   structs, which Swift cannot import; these functions hand them over. */
static inline MPI_Comm tailnas_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype tailnas_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype tailnas_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype tailnas_mpi_uint64(void) { return MPI_UINT64_T; }
static inline int tailnas_mpi_success(void) { return MPI_SUCCESS; }
static inline MPI_Status *tailnas_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline int tailnas_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int tailnas_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
