// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV block frontend: persistent grants and bounce pages.
 *
 * When both ends offer "feature-persistent", the backend may keep every
 * grant it is given mapped for the life of the connection, so a grant can
 * never be taken back once used.  Each queue then owns a bounded pool of
 * pages granted once; a request borrows as many as it has segments (plus
 * its indirect frames), write data is copied into them before the request
 * goes out and read data out of them when it completes.  The backend maps
 * each page once instead of once per request.
 *
 * A backend that is not trusted (the "trusted" parameter, or "trusted" = 0
 * in the device's xenstore directory) gets the same copies without
 * persistent grants: the pool's pages are granted for one request and the
 * grants ended when it completes, so the backend never sees a guest page
 * that holds anything but the request's own data.
 *
 * The pool grows on demand up to its bound and is freed with the queue's
 * ring; it never shrinks in between.  Free pages are reused most recently
 * used first, which keeps the set the backend has mapped small.
 */

#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/page.h>

#include "blkfront.h"

XENPV_UINT_PARAM(blkfront, max_persistent_grants, 1024,
		 "Most persistent grants (4 KiB pages) per ring; 0: do not use persistent grants");
XENPV_BOOL_PARAM_RW(blkfront, trusted, true,
		    "Trust backends with guest pages; false: copy all data through bounce pages");

/**
 * blkfront_pool_init() - set up an empty pool
 * @pool: the pool
 * @max: most grants it may hold
 */
void blkfront_pool_init(struct blkfront_pool *pool, unsigned int max)
{
	pool->persistent = true;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->free);
	pool->nr = 0;
	pool->nr_free = 0;
	pool->max = max;
	pool->exhausted = 0;
}

/* When a new pool page is granted. */
enum blkfront_grant_when {
	BLKFRONT_GRANT_NOW,	/* persistent: for the connection's life */
	BLKFRONT_GRANT_LATER,	/* bounce: for each request that borrows it */
};

/* A new pool page, granted at once in a persistent pool. */
static struct blkfront_pgrant *
blkfront_pgrant_new(domid_t otherend, enum blkfront_grant_when grant)
{
	struct blkfront_pgrant *pg;
	int ref;

	pg = XENPV_ALLOC(kmalloc(sizeof(*pg), GFP_NOIO));
	if (!pg)
		return NULL;
	pg->page = XENPV_ALLOC(alloc_page(GFP_NOIO));
	if (!pg->page)
		goto out_free;
	pg->gref = INVALID_GRANT_REF;
	if (grant == BLKFRONT_GRANT_LATER) {
		atomic_long_inc(&blkfront_census[BLKFRONT_CENSUS_POOL_PAGES]);
		return pg;
	}
	ref = xenpv_grant_page(otherend, pg->page, XENPV_READ_WRITE);
	if (ref < 0)
		goto out_page;
	pg->gref = ref;
	atomic_long_inc(&blkfront_census[BLKFRONT_CENSUS_POOL_PAGES]);
	return pg;

out_page:
	__free_page(pg->page);
out_free:
	kfree(pg);
	return NULL;
}

/* Take up to @n free grants into @pgs; returns how many. */
static unsigned int blkfront_pool_take(struct blkfront_pool *pool,
				       struct blkfront_pgrant **pgs,
				       unsigned int n, unsigned int *grow)
{
	struct blkfront_pgrant *pg;
	unsigned long flags;
	unsigned int got = 0;

	spin_lock_irqsave(&pool->lock, flags);
	while (got < n && !list_empty(&pool->free)) {
		pg = list_first_entry(&pool->free, struct blkfront_pgrant, node);
		list_del(&pg->node);
		pgs[got++] = pg;
	}
	pool->nr_free -= got;
	/* Reserve the room for the grants still missing, if there is some. */
	*grow = n - got;
	if (pool->nr + *grow > pool->max) {
		*grow = 0;
		pool->exhausted++;
	}
	pool->nr += *grow;
	spin_unlock_irqrestore(&pool->lock, flags);
	return got;
}

/* Bounce pages: grant each borrowed page for this request only. */
static bool blkfront_pool_grant(struct blkfront_pool *pool, domid_t otherend,
				struct blkfront_pgrant **pgs, unsigned int n)
{
	unsigned int i;
	int ref;

	if (pool->persistent)
		return true;
	for (i = 0; i < n; i++) {
		ref = xenpv_grant_page(otherend, pgs[i]->page,
				       XENPV_READ_WRITE);
		if (ref < 0)
			break;
		pgs[i]->gref = ref;
	}
	for (; i < n; i++)
		pgs[i]->gref = INVALID_GRANT_REF;
	return pgs[n - 1]->gref != INVALID_GRANT_REF;
}

/**
 * blkfront_pool_get() - borrow granted pages for one request
 * @pool: the queue's pool
 * @otherend: the backend's domain, for grants made now
 * @pgs: receives @n pages with their grants
 * @n: pages needed
 *
 * Return: 0, or -ENOSPC when the pool is at its bound or memory or grant
 * references ran out (nothing is borrowed then; the request is retried
 * once others have completed).
 */
int blkfront_pool_get(struct blkfront_pool *pool, domid_t otherend,
		      struct blkfront_pgrant **pgs, unsigned int n)
{
	unsigned int got, grow, made;
	unsigned long flags;

	got = blkfront_pool_take(pool, pgs, n, &grow);
	if (got + grow < n) {
		blkfront_pool_put(pool, pgs, got);
		return -ENOSPC;
	}
	for (made = 0; made < grow; made++) {
		pgs[got + made] = blkfront_pgrant_new(otherend,
						      pool->persistent ?
						      BLKFRONT_GRANT_NOW :
						      BLKFRONT_GRANT_LATER);
		if (!pgs[got + made])
			break;
	}
	if (made == grow && blkfront_pool_grant(pool, otherend, pgs, n))
		return 0;
	if (made == grow) {
		blkfront_pool_put(pool, pgs, n);
		return -ENOSPC;
	}
	/* Give back the reservation of what could not be made. */
	spin_lock_irqsave(&pool->lock, flags);
	pool->nr -= grow - made;
	spin_unlock_irqrestore(&pool->lock, flags);
	blkfront_pool_put(pool, pgs, got + made);
	return -ENOSPC;
}

/*
 * End a bounce page's grant.  False when the backend still has it mapped:
 * the page then leaves the pool for the grant table's deferred free.
 */
static bool blkfront_pool_ungrant(struct blkfront_pgrant *pg)
{
	if (pg->gref == INVALID_GRANT_REF)
		return true;
	if (gnttab_end_foreign_access_ref(pg->gref)) {
		gnttab_free_grant_reference(pg->gref);
		pg->gref = INVALID_GRANT_REF;
		return true;
	}
	gnttab_end_foreign_access(pg->gref, pg->page);
	kfree(pg);
	atomic_long_dec(&blkfront_census[BLKFRONT_CENSUS_POOL_PAGES]);
	return false;
}

/**
 * blkfront_pool_put() - give back borrowed pages
 * @pool: the pool they came from
 * @pgs: the pages
 * @n: how many
 *
 * Persistent grants stay granted: the backend may keep them mapped.  The
 * grants of bounce pages end here.
 *
 * Return: false if the backend kept a bounce page mapped (the page is
 * not reused), true otherwise.
 */
bool blkfront_pool_put(struct blkfront_pool *pool,
		       struct blkfront_pgrant **pgs, unsigned int n)
{
	unsigned int i, kept = 0;
	unsigned long flags;

	for (i = 0; !pool->persistent && i < n; i++)
		if (!blkfront_pool_ungrant(pgs[i]))
			pgs[i] = NULL;
	spin_lock_irqsave(&pool->lock, flags);
	for (i = 0; i < n; i++) {
		if (!pgs[i]) {
			kept++;
			continue;
		}
		list_add(&pgs[i]->node, &pool->free);
		pool->nr_free++;
	}
	pool->nr -= kept;
	spin_unlock_irqrestore(&pool->lock, flags);
	return !kept;
}

/**
 * blkfront_pool_destroy() - end every grant of a pool and free it
 * @pool: the pool; no request may hold any of its grants
 *
 * A grant the backend still has mapped (it unmaps when it disconnects,
 * which may come after us) is handed to the grant table code, which frees
 * its page once the backend lets go.
 */
void blkfront_pool_destroy(struct blkfront_pool *pool)
{
	struct blkfront_pgrant *pg, *tmp;

	if (!pool->free.next)	/* its queue was never set up */
		return;
	WARN_ON_ONCE(pool->nr != pool->nr_free);
	list_for_each_entry_safe(pg, tmp, &pool->free, node) {
		list_del(&pg->node);
		if (pg->gref != INVALID_GRANT_REF)
			gnttab_end_foreign_access(pg->gref, pg->page);
		else
			__free_page(pg->page);
		kfree(pg);
		atomic_long_dec(&blkfront_census[BLKFRONT_CENSUS_POOL_PAGES]);
	}
	pool->nr -= pool->nr_free;
	pool->nr_free = 0;
}

/*
 * The bytes of data segment @i: in the request's page, and in a grant
 * page, where they sit at the same offset in the 4 KiB frame.
 */
static void blkfront_seg_span(const struct blkfront_cmd *cmd, unsigned int i,
			      struct page **page, size_t *off, size_t *len)
{
	const struct blkfront_seg *seg = &cmd->segs[i];

	*page = sg_page(&cmd->sg[seg->chunk]);
	*off = (size_t)seg->frame * XEN_PAGE_SIZE +
	       (seg->first_sect << XENPV_BLK_SECTOR_SHIFT);
	*len = (seg->last_sect - seg->first_sect + 1) << XENPV_BLK_SECTOR_SHIFT;
}

/*
 * A whole page goes through copy_page(), the copy the architecture tunes
 * for pages; a variable-length memcpy() may be inlined by the compiler as
 * a byte-wise string move, slow on CPUs without fast short rep movsb.
 */
static void blkfront_copy_whole(struct page *page, void *gva, bool out)
{
	void *va = kmap_local_page(page);

	if (out)
		copy_page(gva, va);
	else
		copy_page(va, gva);
	kunmap_local(va);
	if (!out)
		flush_dcache_page(page);
}

/**
 * blkfront_pool_copy() - move a request's data through its grant pages
 * @cmd: the request, its data grants borrowed
 * @dir: BLKFRONT_COPY_TO_POOL for a write about to go out,
 *	BLKFRONT_COPY_FROM_POOL for a read that completed
 */
void blkfront_pool_copy(struct blkfront_cmd *cmd, enum blkfront_copy dir)
{
	bool out = dir == BLKFRONT_COPY_TO_POOL;
	struct page *page;
	size_t off, len;
	unsigned int i;
	void *gva;

	for (i = 0; i < cmd->nr_data; i++) {
		blkfront_seg_span(cmd, i, &page, &off, &len);
		gva = page_address(cmd->pgs[i]->page) + (off & ~XEN_PAGE_MASK);
		if (len == PAGE_SIZE && !off)
			blkfront_copy_whole(page, gva, out);
		else if (out)
			memcpy_from_page(gva, page, off, len);
		else
			memcpy_to_page(page, off, gva, len);
	}
}
