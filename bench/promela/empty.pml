/* An empty model: its pan run costs only what every run costs (allocating and freeing the
   2^26-slot hash table), which the bench subtracts from SPIN's CPU time. */
init { skip }
