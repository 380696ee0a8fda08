package io.github.onsdelay.sample.orders

import io.github.onsdelay.consumer.DeliveryContext
import io.github.onsdelay.consumer.OnsListener
import io.github.onsdelay.producer.DelayMessage
import io.github.onsdelay.producer.DelayProducer
import io.github.onsdelay.sample.Timeline
import org.springframework.beans.factory.annotation.Qualifier
import org.springframework.http.HttpStatus
import org.springframework.stereotype.Component
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.PathVariable
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RequestBody
import org.springframework.web.bind.annotation.RestController
import org.springframework.web.server.ResponseStatusException
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap

enum class OrderStatus { UNPAID, PAID, CANCELLED }

data class Order(val id: String, val amount: Long, @Volatile var status: OrderStatus = OrderStatus.UNPAID)

data class PlaceOrder(val amount: Long = 100)

/** The message: which order to cancel if it is still unpaid. */
data class CancelUnpaidOrder(val orderId: String)

@Component
class OrderStore {
    private val orders = ConcurrentHashMap<String, Order>()

    fun add(order: Order) = order.also { orders[it.id] = it }

    fun get(id: String) = orders[id] ?: throw ResponseStatusException(HttpStatus.NOT_FOUND, "no order $id")

    /** Moves an order from one status to another, atomically; false when it was not in `from`. */
    fun transition(id: String, from: OrderStatus, to: OrderStatus): Boolean = synchronized(get(id)) {
        val order = get(id)
        if (order.status != from) return false
        order.status = to
        true
    }
}

@RestController
class OrderController(
    private val store: OrderStore,
    private val timeline: Timeline,
    @Qualifier("order-cancel") private val orderCancel: DelayProducer,
) {
    @PostMapping("/orders")
    fun place(@RequestBody(required = false) request: PlaceOrder?): Map<String, Any?> {
        val order = store.add(Order(UUID.randomUUID().toString().substring(0, 8), request?.amount ?: 100))
        val sent = orderCancel.send(DelayMessage.of(CancelUnpaidOrder(order.id)).withKey(order.id))
        timeline.record("unpaid-order", order.id, "scheduled cancellation", sent.attempt, sent.dueAt)
        return mapOf("id" to order.id, "status" to order.status, "cancelAt" to sent.dueAt)
    }

    @PostMapping("/orders/{id}/pay")
    fun pay(@PathVariable id: String): Order {
        if (store.transition(id, OrderStatus.UNPAID, OrderStatus.PAID)) {
            timeline.record("unpaid-order", id, "paid")
        }
        return store.get(id)
    }

    @GetMapping("/orders/{id}")
    fun get(@PathVariable id: String) = store.get(id)
}

@Component
class OrderCancelListener(private val store: OrderStore, private val timeline: Timeline) {

    /** Idempotent: cancels only an order that is still unpaid, however often it runs. */
    @OnsListener(producer = "order-cancel", group = "order-service")
    fun cancel(command: CancelUnpaidOrder, context: DeliveryContext) {
        val cancelled = store.transition(command.orderId, OrderStatus.UNPAID, OrderStatus.CANCELLED)
        timeline.handled("unpaid-order", command.orderId, if (cancelled) "cancelled (unpaid)" else "left alone (paid)",
            context.attempt, context.dueAt)
    }
}
