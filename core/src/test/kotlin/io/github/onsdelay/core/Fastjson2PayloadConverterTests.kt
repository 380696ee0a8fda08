package io.github.onsdelay.core

import com.alibaba.fastjson2.TypeReference
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import java.util.concurrent.atomic.AtomicInteger

class Fastjson2PayloadConverterTests {

    private val converter = Fastjson2PayloadConverter()

    data class Coupon(val templateId: String, val amount: Long, val note: String? = null, val tags: List<String> = emptyList())

    data class Page<T>(val items: List<T>, val total: Int)

    /** Counts its instantiations: a body naming it in "@type" must never create it. */
    class Gadget {
        init {
            created.incrementAndGet()
        }

        var command: String? = null

        companion object {
            val created = AtomicInteger()
        }
    }

    /** Nothing fastjson2 can create: abstract, with a private constructor. */
    abstract class Unbuildable private constructor(val value: String) {
        abstract fun run()
    }

    @Test
    fun `prepare takes any type, and conversions read and write the same after it`() {
        val type = object : TypeReference<Page<Coupon>>() {}.type
        listOf(Any::class.java, ByteArray::class.java, type, Unbuildable::class.java, Runnable::class.java)
            .forEach { converter.prepare(it) }

        val page = Page(listOf(Coupon("t-1", 1)), 1)
        assertThat(converter.fromBody(converter.toBody(page), type)).isEqualTo(page)
        assertThatThrownBy { converter.fromBody("{\"value\":\"x\"}".toByteArray(), Unbuildable::class.java) }
            .isInstanceOf(PayloadConversionException::class.java)
    }

    @Test
    fun `a byte array is the body itself, both ways`() {
        val body = "not json at all".toByteArray()

        assertThat(converter.fromBody(body, ByteArray::class.java)).isSameAs(body)
        assertThat(converter.toBody(body)).isSameAs(body)
    }

    @Test
    fun `kotlin data classes round-trip, with nullable and default values`() {
        val coupon = Coupon("t-1", 500, note = null, tags = listOf("vip"))

        val read = converter.fromBody(converter.toBody(coupon), Coupon::class.java)

        assertThat(read).isEqualTo(coupon)
    }

    @Test
    fun `generic types round-trip`() {
        val page = Page(listOf(Coupon("t-1", 1), Coupon("t-2", 2)), 2)
        val type = object : TypeReference<Page<Coupon>>() {}.type

        @Suppress("UNCHECKED_CAST")
        val read = converter.fromBody(converter.toBody(page), type) as Page<Coupon>

        assertThat(read).isEqualTo(page)
        assertThat(read.items.first()).isInstanceOf(Coupon::class.java)
    }

    @Test
    fun `a body's @type never chooses the class that is created`() {
        val hostile = """{"@type":"${Gadget::class.java.name}","command":"rm -rf /"}""".toByteArray()
        val before = Gadget.created.get()

        val asMap = converter.fromBody(hostile, Map::class.java)
        val asAny = converter.fromBody(hostile, Any::class.java)
        runCatching { converter.fromBody(hostile, Coupon::class.java) }

        assertThat(asMap).isInstanceOf(Map::class.java)
        assertThat(asAny).isNotInstanceOf(Gadget::class.java)
        assertThat(Gadget.created.get()).isEqualTo(before)
    }

    @Test
    fun `unreadable bodies fail with the reason`() {
        assertThatThrownBy { converter.fromBody("{not json".toByteArray(), Coupon::class.java) }
            .isInstanceOf(PayloadConversionException::class.java)
            .hasMessageStartingWith("Body is not valid JSON for ${Coupon::class.java.name}")
        assertThatThrownBy { converter.fromBody("""{"templateId": "t-1", "amount": """.toByteArray(), Coupon::class.java) }
            .isInstanceOf(PayloadConversionException::class.java)
            .hasMessageStartingWith("Body is not valid JSON for ${Coupon::class.java.name}")
        assertThatThrownBy { converter.fromBody(ByteArray(0), Coupon::class.java) }
            .isInstanceOf(PayloadConversionException::class.java)
            .hasMessage("Empty body cannot be read as ${Coupon::class.java.name}")
        assertThatThrownBy { converter.fromBody("null".toByteArray(), Coupon::class.java) }
            .isInstanceOf(PayloadConversionException::class.java)
            .hasMessage("Body is JSON null, not a ${Coupon::class.java.name}")
    }
}
