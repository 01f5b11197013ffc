/*
 * Open addressing with linear probing and backward-shift deletion, so
 * there are no tombstones.  The table is a power of two, at most 3/4 full.
 */
#include "config.h"

#include "base/hmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

struct hmap_slot {
	uint64_t	 hash;
	char		*key;	/* NULL: empty */
	size_t		 keylen;
	void		*value;
};

struct hmap {
	struct hmap_slot *slots;
	size_t		  cap;	/* power of two */
	size_t		  count;
};

uint64_t
hmap_hash(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t	 h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ (h >> 29);
}

struct hmap *
hmap_new(void)
{
	struct hmap	*m = xcalloc(1, sizeof *m);

	m->cap = 16;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	return m;
}

void
hmap_free(struct hmap *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static size_t
hmap_find(const struct hmap *m, uint64_t h, const void *key, size_t keylen)
{
	size_t	 i = h & (m->cap - 1);

	for (;;) {
		const struct hmap_slot *s = &m->slots[i];

		if (s->key == NULL)
			return i;
		if (s->hash == h && s->keylen == keylen &&
		    memcmp(s->key, key, keylen) == 0)
			return i;
		i = (i + 1) & (m->cap - 1);
	}
}

static void
hmap_grow(struct hmap *m)
{
	struct hmap_slot *old = m->slots;
	size_t		  oldcap = m->cap, i;

	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (i = 0; i < oldcap; i++) {
		if (old[i].key != NULL) {
			size_t	 j = hmap_find(m, old[i].hash, old[i].key,
			    old[i].keylen);

			m->slots[j] = old[i];
		}
	}
	free(old);
}

void *
hmap_put(struct hmap *m, const void *key, size_t keylen, void *value)
{
	uint64_t	 h = hmap_hash(key, keylen);
	size_t		 i;
	void		*prev;

	if ((m->count + 1) * 4 > m->cap * 3)
		hmap_grow(m);
	i = hmap_find(m, h, key, keylen);
	if (m->slots[i].key != NULL) {
		prev = m->slots[i].value;
		m->slots[i].value = value;
		return prev;
	}
	m->slots[i].hash = h;
	m->slots[i].key = xmemdup(key, keylen == 0 ? 1 : keylen);
	m->slots[i].keylen = keylen;
	m->slots[i].value = value;
	m->count++;
	return NULL;
}

void *
hmap_get(const struct hmap *m, const void *key, size_t keylen)
{
	size_t	 i = hmap_find(m, hmap_hash(key, keylen), key, keylen);

	return m->slots[i].key != NULL ? m->slots[i].value : NULL;
}

void *
hmap_del(struct hmap *m, const void *key, size_t keylen)
{
	size_t	 i = hmap_find(m, hmap_hash(key, keylen), key, keylen);
	size_t	 j, home;
	void	*value;

	if (m->slots[i].key == NULL)
		return NULL;
	value = m->slots[i].value;
	free(m->slots[i].key);
	m->slots[i].key = NULL;
	m->count--;
	/* Shift later members of the cluster back so lookups stay correct. */
	j = i;
	for (;;) {
		j = (j + 1) & (m->cap - 1);
		if (m->slots[j].key == NULL)
			break;
		home = m->slots[j].hash & (m->cap - 1);
		if (((j - home) & (m->cap - 1)) >= ((j - i) & (m->cap - 1))) {
			m->slots[i] = m->slots[j];
			m->slots[j].key = NULL;
			i = j;
		}
	}
	return value;
}

size_t
hmap_count(const struct hmap *m)
{
	return m->count;
}

int
hmap_next(const struct hmap *m, size_t *pos, const void **key,
    size_t *keylen, void **value)
{
	while (*pos < m->cap) {
		const struct hmap_slot *s = &m->slots[(*pos)++];

		if (s->key != NULL) {
			if (key != NULL)
				*key = s->key;
			if (keylen != NULL)
				*keylen = s->keylen;
			if (value != NULL)
				*value = s->value;
			return 1;
		}
	}
	return 0;
}
