/* SPDX-License-Identifier: MIT */
/* A test-and-set spinlock for the few structures CPUs share. */
#ifndef LIB_SPINLOCK_H
#define LIB_SPINLOCK_H

struct spinlock {
	int locked;
};

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

/* For paths that must not wait forever (a panic): 0 if taken. */
static inline int spin_trylock(struct spinlock *l, unsigned long spins)
{
	while (spins--)
		if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
			return 0;
	return -1;
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
