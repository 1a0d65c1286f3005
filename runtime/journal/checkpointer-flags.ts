/** Slots of the shared Int32Array between the journal and its checkpointer thread. */
/** Set to 1 by the journal: finish the checkpoint in progress, close the connection, exit. */
export const STOP = 0;
/** Set to 1 by the checkpointer once its connection is closed. */
export const CLOSED = 1;
